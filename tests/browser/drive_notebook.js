// Drive one notebook in JupyterLab with headless Chromium (playwright-core, system browser).
//
// Usage: node drive_notebook.js CONFIG.json
// CONFIG: {
//   "url": "http://127.0.0.1:PORT/lab/tree/NAME.ipynb?token=TOKEN",
//   "chromium": "/usr/bin/chromium", "userDataDir": "...", "screenshotDir": "...",
//   "cells": [0, 1, 2, ...],          // code-cell indices to run, in order
//   "screenshotCells": {"3": "stub_fails", ...},   // code-cell index -> screenshot name
//   "watchProgressCell": 7,           // poll this cell for a tqdm bar while it runs
//   "cellTimeoutMs": 120000,
//   "viewport": {"width": 1280, "height": 900}   // optional; taller for tall cells
// }
// Prints one JSON object on stdout: per-cell prompt, output text and element counts,
// what was seen while the watched cell ran, and page errors.  The pytest side asserts.
"use strict";

const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function cellFacts(cell) {
  return cell.evaluate((el) => {
    const q = (sel) => el.querySelectorAll(sel).length;
    const out = el.querySelector(".jp-OutputArea");
    return {
      prompt: (el.querySelector(".jp-InputPrompt") || {}).innerText || "",
      text: out ? out.innerText.slice(0, 4000) : "",
      errors: q('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'),
      widgets: q(".jupyter-widgets"),
      sliders: q(".widget-slider, .jupyter-widgets.widget-slider"),
      progress: q(".widget-progress, .progress-bar, progress"),
      images: q(".jp-RenderedImage img"),
      html_tables: q(".jp-RenderedHTMLCommon table"),
      self_check: q(".cs231n-self-check"),
    };
  });
}

async function main() {
  const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const result = { cells: {}, watched: null, page_errors: [], console_errors: [], screenshots: [] };
  fs.mkdirSync(cfg.screenshotDir, { recursive: true });
  const shot = async (target, name) => {
    const file = path.join(cfg.screenshotDir, `${name}.png`);
    await target.screenshot({ path: file });
    result.screenshots.push(file);
  };

  const context = await chromium.launchPersistentContext(cfg.userDataDir, {
    executablePath: cfg.chromium,
    headless: true,
    args: FLAGS,
    viewport: cfg.viewport || { width: 1280, height: 900 },
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.on("pageerror", (e) => result.page_errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") result.console_errors.push(m.text().slice(0, 300));
    });
    await page.goto(cfg.url, { waitUntil: "domcontentloaded", timeout: 60000 });
    await page.waitForSelector(".jp-Notebook .jp-CodeCell", { timeout: 60000 });
    // The kernel is ready when the status bar names it and says Idle.
    await page
      .waitForFunction(
        () => {
          const bar = document.querySelector(".jp-StatusBar-Widget, #jp-main-statusbar");
          const text = bar ? bar.innerText : "";
          return /Idle/.test(text) && !/No Kernel/.test(text);
        },
        null,
        { timeout: 90000, polling: 250 },
      )
      .catch(() => {
        result.kernel_wait_timed_out = true;
      });
    await sleep(500);
    await shot(page, "00_opened");

    const timeout = cfg.cellTimeoutMs || 120000;
    for (const idx of cfg.cells) {
      const cell = page.locator(".jp-Notebook .jp-Cell.jp-CodeCell").nth(idx);
      await cell.scrollIntoViewIfNeeded();
      await cell.locator(".jp-InputArea-editor").click();
      await page.keyboard.press("Shift+Enter");
      const watch = cfg.watchProgressCell === idx;
      const start = Date.now();
      let seenRunning = false;
      let progressWhileRunning = 0;
      for (;;) {
        const facts = await cellFacts(cell);
        if (/\[\*\]/.test(facts.prompt)) seenRunning = true;
        if (watch && /\[\*\]/.test(facts.prompt) && facts.progress > 0 && !progressWhileRunning) {
          progressWhileRunning = facts.progress;
          await cell.scrollIntoViewIfNeeded();
          await shot(cell, "progress_while_training");
        }
        if (/\[\d+\]/.test(facts.prompt)) break;
        if (Date.now() - start > timeout) throw new Error(`cell ${idx} did not finish in ${timeout} ms`);
        await sleep(watch ? 100 : 200);
      }
      await sleep(300); // let widget views and images attach
      const facts = await cellFacts(cell);
      result.cells[idx] = facts;
      if (watch) result.watched = { cell: idx, seen_running: seenRunning, progress_while_running: progressWhileRunning };
      const name = (cfg.screenshotCells || {})[String(idx)];
      if (name) {
        await cell.scrollIntoViewIfNeeded();
        await shot(cell, name);
      }
    }
    await shot(page, "99_end");
  } finally {
    await context.close();
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + "\n");
  process.exit(1);
});
