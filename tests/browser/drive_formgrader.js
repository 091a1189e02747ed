// Grade one written answer in nbgrader's formgrader with headless Chromium (playwright-core,
// the system browser, never a download).
//
// Usage: node drive_formgrader.js CONFIG.json
// CONFIG: {
//   "base": "http://127.0.0.1:PORT", "token": "...",
//   "chromium": "/usr/bin/chromium", "userDataDir": "...", "screenshotDir": "...",
//   "assignment": "assignment1", "notebook": "two_layer_net", "student": "alice",
//   "gradeId": "two_layer_net_q1", "score": "1"
// }
// Steps: JupyterLab's Nbgrader > Formgrader panel (a screenshot only), then formgrader's
// page of the notebook's submissions, the student's submission, the written answer's score
// box: type the score, leave the box (formgrader saves on "change"), wait for the PUT.
// Prints one JSON object: what each page showed, the save's HTTP status, page errors.
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

async function main() {
  const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const result = { page_errors: [], console_errors: [], screenshots: [], steps: [] };
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
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.on("pageerror", (e) => result.page_errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") result.console_errors.push(m.text().slice(0, 300));
    });

    // 1. JupyterLab with the nbgrader extension: open the Formgrader panel from its menu
    await page.goto(`${cfg.base}/lab?token=${cfg.token}`, { waitUntil: "domcontentloaded", timeout: 60000 });
    try {
      await page.waitForSelector(".lm-MenuBar-itemLabel", { timeout: 60000 });
      const menu = page.locator(".lm-MenuBar-itemLabel", { hasText: "Nbgrader" });
      await menu.first().click({ timeout: 10000 });
      await page.locator(".lm-Menu-itemLabel", { hasText: "Formgrader" }).first().click({ timeout: 10000 });
      const frame = page.frameLocator("iframe").first();
      await frame.locator("body").waitFor({ timeout: 30000 });
      await sleep(1500);
      await shot(page, "fg_00_lab_formgrader_panel");
      result.lab_panel = true;
    } catch (e) {
      result.lab_panel = false;
      result.lab_panel_error = String(e).slice(0, 300);
    }

    // 2. formgrader: the notebook's submissions
    const listUrl = `${cfg.base}/formgrader/gradebook/${cfg.assignment}/${cfg.notebook}/?token=${cfg.token}`;
    await page.goto(listUrl, { waitUntil: "domcontentloaded", timeout: 60000 });
    const links = page.locator('a[href*="/formgrader/submissions/"]');
    await links.first().waitFor({ timeout: 60000 });
    await sleep(500);
    result.list_text = (await page.locator("table").first().innerText()).slice(0, 2000);
    await shot(page, "fg_01_submissions");
    result.steps.push("submissions listed");

    // 3. the student's submission (names are hidden by default: pick the row by its link)
    const hrefs = await links.evaluateAll((els) => els.map((e) => e.getAttribute("href")));
    result.submission_links = hrefs;
    await page.goto(`${cfg.base}${new URL(hrefs[0], cfg.base).pathname}?token=${cfg.token}`, {
      waitUntil: "domcontentloaded",
      timeout: 60000,
    });
    const box = page.locator(`input.score#${cfg.gradeId}`);
    await box.waitFor({ timeout: 60000 });
    await sleep(1000); // the Backbone models load the grades, then render
    result.grading_page = await page.evaluate((gid) => {
      const nb = document.querySelector("#notebook") || document.body;
      const input = document.getElementById(gid);
      const panel = input ? input.closest(".nbgrader_cell") : null;
      return {
        title: document.title,
        images: nb.querySelectorAll('img[src^="data:image/png"]').length,
        answer_text: panel ? panel.innerText.slice(0, 1500) : "",
        needs_manual_class: input ? input.classList.contains("needs_manual_grade") : null,
        placeholder: input ? input.getAttribute("placeholder") : null,
      };
    }, cfg.gradeId);
    await shot(page, "fg_02_grading_page");
    result.steps.push("submission opened");

    // 4. type the score and leave the box: formgrader PUTs /formgrader/api/grade/<id>
    await box.scrollIntoViewIfNeeded();
    const saved = page.waitForResponse(
      (r) => r.url().includes("/formgrader/api/grade/") && r.request().method() === "PUT",
      { timeout: 30000 },
    );
    await box.fill(String(cfg.score));
    await box.press("Tab");
    const response = await saved;
    result.save_status = response.status();
    result.save_body = (await response.text()).slice(0, 1000);
    await sleep(800);
    const panel = box.locator("xpath=ancestor::div[contains(@class,'nbgrader_cell')]");
    await panel.scrollIntoViewIfNeeded();
    await shot(panel, "fg_03_answer_graded");
    await shot(page, "fg_04_page_after_grading");
    result.steps.push("score saved");
  } finally {
    await context.close();
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + "\n");
  process.exit(1);
});
