"""Known mistakes of assignment1, fingerprinted at build time (never released).

Each is a one-line change to the reference; ``python -m autograder.authoring build`` runs
it through the task's visible check and stores what the check saw, so the check can
name the cause when a student's answer matches (see autograder/authoring/mistakes.py).
"""

from autograder.authoring.mistakes import Mistake as M

MISTAKES = [
    # knn
    M(
        "a1_knn_one_loop",
        "compute_distances_one_loop",
        "np.sum(diff * diff, axis=1)",
        "np.sum(diff * diff)",
        "the sum runs over all axes: sum over axis=1 (the pixels) only, "
        "one distance per training sample.",
    ),
    M(
        "a1_knn_no_loops",
        "compute_distances_no_loops",
        "test_sq - 2.0 * (X @ X_train.T)",
        "test_sq + 2.0 * (X @ X_train.T)",
        "the cross term's sign is flipped: ||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2.",
    ),
    M(
        "a1_knn_no_loops",
        "compute_distances_no_loops",
        "2.0 * (X @ X_train.T)",
        "(X @ X_train.T)",
        "the cross term needs the factor 2: ||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2.",
    ),
    M(
        "a1_knn_no_loops",
        "compute_distances_no_loops",
        "np.sum(X * X, axis=1, keepdims=True)",
        "np.sum(X * X)",
        "||X||^2 was summed over all axes (one number): sum over axis=1 with "
        "keepdims=True, one value per test sample.",
    ),
    M(
        "a1_knn_predict",
        "predict_labels",
        "np.argmax(np.bincount(closest_y))",
        "closest_y[0]",
        "only the nearest neighbour's label is used: vote among all k nearest (ties go to the "
        "smaller label, not to the nearest neighbour).",
    ),
    M(
        "a1_knn_predict",
        "predict_labels",
        "[:k]",
        "[: k + 1]",
        "k + 1 neighbours vote: take the first k of the sorted distances ([:k]).",
    ),
    M(
        "a1_knn_cross_validation",
        "cross_validate_k",
        "np.mean(y_pred == y_folds[f])",
        "np.sum(y_pred == y_folds[f]) / len(y)",
        "the accuracy's denominator is the whole data "
        "set: divide by the size of the held-out fold (np.mean does it).",
    ),
    M(
        "a1_knn_cross_validation",
        "cross_validate_k",
        "np.mean(y_pred == y_folds[f])",
        "np.sum(y_pred == y_folds[f]) / len(y_tr)",
        "the accuracy's denominator is the training "
        "folds' size: divide by the size of the held-out fold (np.mean does it).",
    ),
    # svm
    M(
        "a1_svm_naive",
        "svm_loss_naive",
        "margin = scores[j] - correct + 1.0",
        "margin = scores[j] - correct",
        "the margin delta = 1 is missing: margin = s_j - s_y + 1.",
    ),
    M(
        "a1_svm_naive",
        "svm_loss_naive",
        "dW[:, y[i]] -= X[i]",
        "pass",
        "the correct-class column of dW is missing: each positive margin also subtracts X[i] "
        "from column y[i].",
    ),
    M(
        "a1_svm_naive",
        "svm_loss_naive",
        "dW[:, y[i]] -= X[i]",
        "dW[:, y[i]] += X[i]",
        "the correct-class column of dW has the wrong sign: a positive margin subtracts X[i] "
        "from column y[i].",
    ),
    M(
        "a1_svm_naive",
        "svm_loss_naive",
        "dW[:, j] += X[i]",
        "dW[:, j] -= X[i]",
        "the sign of the wrong-class columns is flipped: a positive margin adds X[i] to column j.",
    ),
    M(
        "a1_svm_vectorized",
        "svm_loss_vectorized",
        "scores - correct + 1.0",
        "scores - correct",
        "the margin delta = 1 is missing: margins = max(0, s - s_y + 1).",
    ),
    M(
        "a1_svm_vectorized",
        "svm_loss_vectorized",
        "coeff[rows, y] = -np.sum(coeff, axis=1)",
        "coeff[rows, y] = 0",
        "the correct-class column of dW is missing: its coefficient is "
        "minus the number of positive margins in the row.",
    ),
    M(
        "a1_svm_vectorized",
        "svm_loss_vectorized",
        "coeff[rows, y] = -np.sum(coeff, axis=1)",
        "coeff[rows, y] = np.sum(coeff, axis=1)",
        "the correct-class column of dW has the wrong "
        "sign: its coefficient is MINUS the number of positive margins.",
    ),
    M(
        "a1_svm_vectorized",
        "svm_loss_vectorized",
        "coeff[rows, y] = -np.sum(coeff, axis=1)",
        "coeff[rows, y] = -np.sum(coeff)",
        "the correct-class coefficient sums over all axes: "
        "count the positive margins of each row (axis=1).",
    ),
    # softmax
    M(
        "a1_softmax_naive",
        "softmax_loss_naive",
        "(probs[j] - (j == y[i]))",
        "probs[j]",
        "the indicator term is missing: the score gradient is p_j - 1[j == y_i].",
    ),
    M(
        "a1_softmax_naive",
        "softmax_loss_naive",
        "(probs[j] - (j == y[i]))",
        "((j == y[i]) - probs[j])",
        "the gradient's sign is flipped: it is p_j - 1[j == y_i].",
    ),
    M(
        "a1_softmax_naive",
        "softmax_loss_naive",
        "loss -= np.log(probs[y[i]])",
        "loss += np.log(probs[y[i]])",
        "the loss sign is flipped: the loss is the NEGATIVE log probability of the correct class.",
    ),
    M(
        "a1_softmax_vectorized",
        "softmax_loss_vectorized",
        "dscores[rows, y] -= 1.0",
        "pass",
        "the indicator term is missing: subtract 1 from the correct class's probability.",
    ),
    M(
        "a1_softmax_vectorized",
        "softmax_loss_vectorized",
        "dscores[rows, y] -= 1.0",
        "dscores[rows, y] += 1.0",
        "the indicator term has the wrong sign: SUBTRACT 1 from the correct class's probability.",
    ),
    M(
        "a1_softmax_vectorized",
        "softmax_loss_vectorized",
        "np.log(np.sum(np.exp(scores), axis=1, keepdims=True))",
        "np.log(np.sum(np.exp(scores)))",
        "log-sum-exp is taken over the whole batch: sum the exponentials of each row "
        "(axis=1, keepdims=True).",
    ),
    M(
        "a1_softmax_vectorized",
        "softmax_loss_vectorized",
        "-np.mean(log_probs[rows, y])",
        "-np.log(np.mean(np.exp(log_probs[rows, y])))",
        "this is -log of the mean probability: the loss is the mean of -log p, one log per sample.",
    ),
    M(
        "a1_softmax_vectorized",
        "softmax_loss_vectorized",
        "np.max(scores, axis=1, keepdims=True)",
        "np.max(scores, axis=0, keepdims=True)",
        "the max-shift uses each column's maximum: subtract each ROW's maximum (axis=1); a "
        "column shift changes the probabilities.",
    ),
    # gates
    M(
        "a1_gate_add",
        "add_gate_backward",
        "dy = 1.0 * dout",
        "dy = 0.0 * dout",
        "dy is missing: an add gate distributes dout unchanged to BOTH inputs.",
    ),
    M(
        "a1_gate_add",
        "add_gate_backward",
        "dx = 1.0 * dout",
        "dx = 0.5 * dout",
        "dout is halved: an add gate distributes dout unchanged to both inputs (copies, not halves).",
    ),
    M(
        "a1_gate_multiply",
        "multiply_gate_backward",
        "dx = dout * y",
        "dx = dout * x",
        "dx uses x: each input's gradient is dout times the OTHER input (swap them).",
    ),
    M(
        "a1_gate_multiply",
        "multiply_gate_backward",
        "dy = dout * x",
        "dy = x",
        "dy omits dout: multiply the local gradient by the upstream gradient dout.",
    ),
    M(
        "a1_gate_max",
        "max_gate_backward",
        "dy = np.where(x_wins, 0.0, dout)",
        "dy = np.where(x_wins, dout, 0.0)",
        "both inputs got dout: only the winner (the larger input) gets it; the loser gets 0.",
    ),
    M(
        "a1_gate_sigmoid",
        "sigmoid_gate_backward",
        "dx = dout * out * (1.0 - out)",
        "dx = dout * out",
        "the factor (1 - out) is missing: the sigmoid's derivative is out * (1 - out).",
    ),
    M(
        "a1_gate_sigmoid",
        "sigmoid_gate_forward",
        "1.0 / (1.0 + np.exp(-x))",
        "1.0 / (1.0 + np.exp(x))",
        "the sign in the exponent is flipped: sigmoid(x) = 1 / (1 + exp(-x)).",
    ),
    M(
        "a1_perceptron",
        "xor_forward",
        'logic_gate_weights("and")',
        'logic_gate_weights("or")',
        "the last gate must be AND: xor(a, b) = and(nand(a, b), or(a, b)) (check the truth table).",
    ),
    # two_layer_net
    M(
        "a1_affine_forward",
        "affine_forward",
        "out = x.reshape(x.shape[0], -1) @ w + b",
        "out = x.reshape(x.shape[0], -1) @ w",
        "the bias is missing: out = x @ w + b.",
    ),
    M(
        "a1_affine_backward",
        "affine_backward",
        "db = dout.sum(axis=0)",
        "db = dout.mean(axis=0)",
        "db is the mean over the batch: the bias gradient SUMS dout over axis 0.",
    ),
    M(
        "a1_relu_forward",
        "relu_forward",
        "np.maximum(x, 0)",
        "np.abs(x)",
        "negative inputs must become zero (np.maximum(x, 0)), not their absolute value.",
    ),
    M(
        "a1_relu_backward",
        "relu_backward",
        "dout * (x > 0)",
        "(x > 0).astype(float)",
        "dout is missing: the gradient is the upstream dout where x > 0, else 0.",
    ),
    M(
        "a1_relu_backward",
        "relu_backward",
        "dout * (x > 0)",
        "dout * (x < 0)",
        "the mask is inverted: the gradient flows where x > 0 (the inputs ReLU let through).",
    ),
    M(
        "a1_relu_backward",
        "relu_backward",
        "dout * (x > 0)",
        "dout * np.maximum(x, 0)",
        "dout was multiplied by relu(x): multiply by the indicator x > 0 (0 or 1) instead.",
    ),
    M(
        "a1_softmax_loss",
        "softmax_loss",
        "dx[np.arange(N), y] -= 1",
        "pass",
        "the indicator term is missing: subtract 1 from the correct class's probability.",
    ),
    M(
        "a1_softmax_loss",
        "softmax_loss",
        "np.exp(shifted).sum(axis=1, keepdims=True)",
        "np.exp(shifted).sum()",
        "log-sum-exp is taken over the whole batch: sum the exponentials "
        "of each row (axis=1, keepdims=True).",
    ),
    M(
        "a1_svm_loss",
        "svm_loss",
        "margins = np.maximum(0, x - correct + 1)",
        "margins = np.maximum(0, x - correct)",
        "the margin delta = 1 is missing: max(0, s - s_y + 1).",
    ),
    M(
        "a1_svm_loss",
        "svm_loss",
        "dx[np.arange(N), y] = -dx.sum(axis=1)",
        "dx[np.arange(N), y] = 0",
        "the correct-class entries of dx are missing: each is minus "
        "the number of positive margins in its row.",
    ),
    M(
        "a1_two_layer_net",
        "TwoLayerNet",
        "(np.sum(W1 * W1) + np.sum(W2 * W2))",
        "np.sum(W1 * W1)",
        "the regularization of the last layer (W2) is missing from the loss.",
    ),
    M(
        "a1_two_layer_net",
        "TwoLayerNet",
        'grads["W2"] += self.reg * W2',
        "pass",
        "the regularization gradient reg * W2 of the last layer is missing.",
    ),
    M(
        "a1_two_layer_net",
        "TwoLayerNet",
        'grads["W1"] += self.reg * W1',
        "pass",
        "the regularization gradient reg * W1 of the first layer is missing.",
    ),
    M(
        "a1_two_layer_net",
        "TwoLayerNet",
        'grads["W1"] += self.reg * W1',
        'grads["W1"] += 2 * self.reg * W1',
        "dW1 adds 2 * reg * W1; with the loss "
        "0.5 * reg * sum(W**2) the regularization gradient is reg * W.",
    ),
    M(
        "a1_two_layer_net",
        "TwoLayerNet",
        "loss += 0.5 * self.reg *",
        "loss += self.reg *",
        "the loss uses reg * sum(W**2); the kit's convention is 0.5 * reg * sum(W**2).",
    ),
    M(
        "a1_two_layer_net",
        "TwoLayerNet",
        '_, grads["W1"], grads["b1"] = affine_relu_backward(dhidden, cache1)',
        '_, grads["W1"], grads["b1"] = affine_backward(dhidden, cache1[0])',
        "the ReLU's backward is skipped: backpropagate through the ReLU (affine_relu_backward) "
        "before the first affine layer.",
    ),
    M(
        "a1_knn_predict",
        "predict_labels",
        "[:k]",
        "[::-1][:k]",
        "these are the k FARTHEST neighbours: sort distances in increasing order.",
    ),
    M(
        "a1_two_layer_net",
        "TwoLayerNet",
        "hidden, cache1 = affine_relu_forward(X, W1, b1)",
        "hidden, cache1 = affine_forward(X, W1, b1)",
        "the ReLU is missing from the forward pass: the hidden layer is affine_relu_forward(X, W1, b1).",
    ),
    # the mistakes the visible checks' hand-written hints name, for the hidden cases too
    M(
        "a1_knn_two_loops",
        "compute_distances_two_loops",
        "np.sqrt(np.sum(diff * diff))",
        "np.sum(diff * diff)",
        "these are squared distances: take the square root (np.sqrt).",
    ),
    M(
        "a1_knn_two_loops",
        "compute_distances_two_loops",
        "np.sqrt(np.sum(diff * diff))",
        "np.sum(np.abs(diff))",
        "this is the L1 distance (sum of |differences|); we want L2.",
    ),
    M(
        "a1_knn_one_loop",
        "compute_distances_one_loop",
        "np.sqrt(np.sum(diff * diff, axis=1))",
        "np.sum(diff * diff, axis=1)",
        "these are squared distances: take the square root (np.sqrt).",
    ),
    M(
        "a1_knn_one_loop",
        "compute_distances_one_loop",
        "np.sqrt(np.sum(diff * diff, axis=1))",
        "np.sum(np.abs(diff), axis=1)",
        "this is the L1 distance (sum of |differences|); we want L2.",
    ),
    M(
        "a1_knn_no_loops",
        "compute_distances_no_loops",
        "dists = np.sqrt(np.maximum(sq, 0.0))",
        "dists = np.maximum(sq, 0.0)",
        "these are squared distances: take the square root (np.sqrt).",
    ),
    M(
        "a1_knn_predict",
        "predict_labels",
        "np.argmax(np.bincount(closest_y))",
        "len(np.bincount(closest_y)) - 1 - np.argmax(np.bincount(closest_y)[::-1])",
        "a tie between labels must go to the SMALLER label (np.argmax of np.bincount does that).",
    ),
    M(
        "a1_knn_predict",
        "predict_labels",
        "np.argmax(np.bincount(closest_y))",
        "next(c for c in closest_y if np.bincount(closest_y)[c] == np.bincount(closest_y).max())",
        "a tie between labels went to the label of the NEAREST neighbour among them: ties go "
        "to the SMALLER label (np.argmax of np.bincount does that).",
    ),
    M(
        "a1_knn_cross_validation",
        "cross_validate_k",
        "float(np.mean(y_pred == y_folds[f]))",
        "float(100 * np.mean(y_pred == y_folds[f]))",
        "accuracies are percentages; return fractions in [0, 1].",
    ),
    M(
        "a1_svm_naive",
        "svm_loss_naive",
        "            if j == y[i]:\n                continue\n",
        "",
        "the correct class is counted in the sum of margins (its margin is always 1): skip j == y[i].",
    ),
    M(
        "a1_svm_naive",
        "svm_loss_naive",
        "    dW /= num_train\n",
        "",
        "the data gradient is summed, not averaged over the N samples.",
    ),
    M(
        "a1_svm_naive",
        "svm_loss_naive",
        "    dW += reg * W\n",
        "",
        "the regularization gradient reg * W is missing from dW.",
    ),
    M(
        "a1_svm_naive",
        "svm_loss_naive",
        "loss += 0.5 * reg * np.sum(W * W)",
        "loss += reg * np.sum(W * W)",
        "the loss uses reg * sum(W**2); the kit's convention is 0.5 * reg * sum(W**2).",
    ),
    M(
        "a1_svm_naive",
        "svm_loss_naive",
        "dW += reg * W",
        "dW += 2 * reg * W",
        "dW adds 2 * reg * W; with the loss 0.5 * reg * sum(W**2) the gradient is reg * W.",
    ),
    M(
        "a1_svm_vectorized",
        "svm_loss_vectorized",
        "    margins[rows, y] = 0.0\n",
        "",
        "the correct class is counted in the sum of margins (its margin is always 1): zero it.",
    ),
    M(
        "a1_svm_vectorized",
        "svm_loss_vectorized",
        "X.T @ coeff / num_train",
        "X.T @ coeff",
        "the data gradient is summed, not averaged over the N samples.",
    ),
    M(
        "a1_svm_vectorized",
        "svm_loss_vectorized",
        "np.sum(margins) / num_train +",
        "np.sum(margins) +",
        "the data loss is summed, not averaged over the N samples.",
    ),
    M(
        "a1_softmax_naive",
        "softmax_loss_naive",
        "    loss /= num_train\n",
        "",
        "the data loss is summed, not averaged over the N samples.",
    ),
    M(
        "a1_softmax_naive",
        "softmax_loss_naive",
        "    dW /= num_train\n",
        "",
        "the data gradient is summed, not averaged over the N samples.",
    ),
    M(
        "a1_softmax_naive",
        "softmax_loss_naive",
        "    dW += reg * W\n",
        "",
        "the regularization gradient reg * W is missing from dW.",
    ),
    M(
        "a1_softmax_vectorized",
        "softmax_loss_vectorized",
        "X.T @ dscores / num_train",
        "X.T @ dscores",
        "the data gradient is summed, not averaged over the N samples.",
    ),
    M(
        "a1_gate_max",
        "max_gate_backward",
        "np.greater_equal(x, y)",
        "np.greater(x, y)",
        "on a tie (x == y) the gradient goes to x, the first input: use x >= y.",
    ),
    M(
        "a1_relu_forward",
        "relu_forward",
        "np.maximum(x, 0)",
        "np.minimum(x, 0)",
        "this keeps the NEGATIVE part; ReLU keeps the positive part (np.maximum(x, 0)).",
    ),
    M(
        "a1_svm_loss",
        "svm_loss",
        "    margins[np.arange(N), y] = 0\n",
        "",
        "the correct class is counted in the sum of margins (its margin is always 1): zero it.",
    ),
    M(
        "a1_affine_backward",
        "affine_backward",
        "dx = (dout @ w.T).reshape(x.shape)",
        "dx = dout @ w.T",
        "dx has the rows' shape (N, D): reshape it to x.shape.",
    ),
    # tasks added with the features, SGD and loss-layer sections
    M(
        "a1_mse_loss",
        "mse_loss",
        "loss = 0.5 * np.sum(diff * diff) / N",
        "loss = 0.5 * np.mean(diff * diff)",
        "the loss is averaged over the classes too: sum the squared differences over the "
        "C classes, then average over the N samples only.",
    ),
    M(
        "a1_mse_loss",
        "mse_loss",
        "targets[np.arange(N), y] = 1",
        "targets[:, y] = 1",
        "the one-hot targets set column y[i] in EVERY row: set one element per row, "
        "targets[np.arange(N), y] = 1.",
    ),
    M(
        "a1_hog",
        "hog_features",
        "% 180.0",
        "% 360.0",
        "the orientation is unsigned: take the angle modulo 180 degrees, not 360.",
    ),
    M(
        "a1_hog",
        "hog_features",
        "np.arctan2(gy, gx)",
        "np.arctan2(gx, gy)",
        "the arguments of np.arctan2 are swapped: the angle of (gx, gy) is np.arctan2(gy, gx), "
        "y first.",
    ),
    M(
        "a1_color_histogram",
        "color_histogram_features",
        "np.clip((values * num_bins).astype(np.int64), 0, num_bins - 1)",
        "(values * num_bins).astype(np.int64)",
        "a value of exactly 1.0 falls outside the bins (floor(1.0 * num_bins) = num_bins): "
        "clip the bin index to num_bins - 1.",
    ),
    M(
        "a1_color_histogram",
        "color_histogram_features",
        "features = counts / bins.shape[1]",
        "features = counts / counts.sum()",
        "the counts are divided by the pixels of the whole batch: divide each image's counts "
        "by that image's number of pixels.",
    ),
    M(
        "a1_color_histogram",
        "color_histogram_features",
        "np.clip((values * num_bins).astype(np.int64), 0, num_bins - 1)",
        "np.clip((values * (num_bins - 1)).astype(np.int64), 0, num_bins - 1)",
        "the bin of a value v in [0, 1] is floor(v * num_bins) (clipped to num_bins - 1), "
        "not floor(v * (num_bins - 1)).",
    ),
]
