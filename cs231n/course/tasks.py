"""The task registry: every piece of code a student writes, in one table.

A *task id* (``a1_affine_forward``) names one student cell.  The same id appears

* in the package, in a ``# TODO(<task id>)`` comment just above the
  ``### BEGIN SOLUTION`` marker of each object listed for the task;
* in the source notebook, as the nbgrader ``grade_id`` of the solution cell (the test
  cell is ``<task id>_test``);
* in the test-suite, as a pytest marker (``pytest -m a1_affine_forward``);
* in the stub a student release raises (``NotImplementedError("a1_affine_forward: ...")``).

``objects`` are ``"module:qualname"`` strings of top-level functions or classes of the
reference package.  The sync tool copies their source into the notebook cell; the
release tool strips their solutions from the student package.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Task:
    """One student cell: its id, where it is taught, and what it defines."""

    id: str
    assignment: str
    notebook: str
    objects: tuple[str, ...]
    title: str
    points: int = 2

    @property
    def names(self) -> tuple[str, ...]:
        """Plain names of the objects, as the student's notebook defines them."""
        return tuple(o.split(":")[1] for o in self.objects)

    def resolve(self):
        """Import and return the reference objects, in the order of ``objects``."""
        out = []
        for spec in self.objects:
            mod, name = spec.split(":")
            out.append(getattr(import_module(mod), name))
        return tuple(out)


def _t(id, assignment, notebook, objects, title, points=2):
    return Task(id, assignment, notebook, tuple(objects), title, points)


_KNN = "cs231n.classifiers.k_nearest_neighbor"
_LAY = "cs231n.layers"
_ACT = f"{_LAY}.activations"
_NORM = f"{_LAY}.normalization"
_CONV = f"{_LAY}.conv"
_OPT = "cs231n.optim"
_SCH = "cs231n.schedules"
_HP = "cs231n.hyperparameter_search"
_G = "cs231n.gates"
_RNN = "cs231n.rnn_layers"
_TR = "cs231n.transformer_layers"

# fmt: off
TASKS: tuple[Task, ...] = (
    # ---------------------------------------------------------------- assignment1
    _t("a1_knn_two_loops", "assignment1", "knn", [f"{_KNN}:compute_distances_two_loops"], "L2 distances with two loops"),
    _t("a1_knn_one_loop", "assignment1", "knn", [f"{_KNN}:compute_distances_one_loop"], "L2 distances with one loop"),
    _t("a1_knn_no_loops", "assignment1", "knn", [f"{_KNN}:compute_distances_no_loops"], "L2 distances with no loops", 3),
    _t("a1_knn_predict", "assignment1", "knn", [f"{_KNN}:predict_labels"], "majority vote of the k nearest"),
    _t("a1_knn_cross_validation", "assignment1", "knn", [f"{_KNN}:cross_validate_k"], "k-fold cross-validation over k"),
    _t("a1_svm_naive", "assignment1", "svm", ["cs231n.classifiers.linear_svm:svm_loss_naive"], "hinge loss and gradient with loops", 3),
    _t("a1_svm_vectorized", "assignment1", "svm", ["cs231n.classifiers.linear_svm:svm_loss_vectorized"], "vectorized hinge loss and gradient", 3),
    _t("a1_linear_sgd", "assignment1", "svm", ["cs231n.classifiers.linear_classifier:minibatch_sgd"], "LinearClassifier.train's minibatch SGD loop"),
    _t("a1_tune_linear", "assignment1", "svm", ["cs231n.classifiers.linear_classifier:tune_linear_classifier"], "grid search over learning rate and regularization"),
    _t("a1_softmax_naive", "assignment1", "softmax", ["cs231n.classifiers.softmax:softmax_loss_naive"], "softmax loss and gradient with loops", 3),
    _t("a1_softmax_vectorized", "assignment1", "softmax", ["cs231n.classifiers.softmax:softmax_loss_vectorized"], "vectorized, numerically stable softmax loss", 3),
    _t("a1_gate_add", "assignment1", "backprop", [f"{_G}:add_gate_forward", f"{_G}:add_gate_backward"], "add gate"),
    _t("a1_gate_multiply", "assignment1", "backprop", [f"{_G}:multiply_gate_forward", f"{_G}:multiply_gate_backward"], "multiply gate"),
    _t("a1_gate_max", "assignment1", "backprop", [f"{_G}:max_gate_forward", f"{_G}:max_gate_backward"], "max gate"),
    _t("a1_gate_sigmoid", "assignment1", "backprop", [f"{_G}:sigmoid_gate_forward", f"{_G}:sigmoid_gate_backward"], "sigmoid gate"),
    _t("a1_perceptron", "assignment1", "backprop", [f"{_G}:perceptron_forward", f"{_G}:logic_gate_weights", f"{_G}:xor_forward"], "perceptrons for AND/NAND/OR, and XOR from two layers", 3),
    _t("a1_affine_forward", "assignment1", "two_layer_net", [f"{_LAY}.affine:affine_forward"], "affine layer forward"),
    _t("a1_affine_backward", "assignment1", "two_layer_net", [f"{_LAY}.affine:affine_backward"], "affine layer backward"),
    _t("a1_relu_forward", "assignment1", "two_layer_net", [f"{_ACT}:relu_forward"], "ReLU forward", 1),
    _t("a1_relu_backward", "assignment1", "two_layer_net", [f"{_ACT}:relu_backward"], "ReLU backward", 1),
    _t("a1_softmax_loss", "assignment1", "two_layer_net", [f"{_LAY}.losses:softmax_loss"], "softmax loss layer"),
    _t("a1_svm_loss", "assignment1", "two_layer_net", [f"{_LAY}.losses:svm_loss"], "SVM loss layer"),
    _t("a1_mse_loss", "assignment1", "two_layer_net", [f"{_LAY}.losses:mse_loss"], "mean squared error loss layer"),
    _t("a1_two_layer_net", "assignment1", "two_layer_net", ["cs231n.classifiers.fc_net:TwoLayerNet"], "TwoLayerNet", 4),
    _t("a1_hog", "assignment1", "features", ["cs231n.features:hog_features"], "histograms of oriented gradients", 3),
    _t("a1_color_histogram", "assignment1", "features", ["cs231n.features:color_histogram_features"], "colour (hue) or intensity histogram"),
    # ---------------------------------------------------------------- assignment2
    _t("a2_fc_net", "assignment2", "FullyConnectedNets", ["cs231n.classifiers.fc_net:FullyConnectedNet"], "FullyConnectedNet of any depth", 5),
    _t("a2_sgd_momentum", "assignment2", "FullyConnectedNets", [f"{_OPT}:sgd_momentum"], "SGD with momentum"),
    _t("a2_nesterov", "assignment2", "FullyConnectedNets", [f"{_OPT}:nesterov"], "Nesterov momentum"),
    _t("a2_adagrad", "assignment2", "FullyConnectedNets", [f"{_OPT}:adagrad"], "AdaGrad"),
    _t("a2_rmsprop", "assignment2", "FullyConnectedNets", [f"{_OPT}:rmsprop"], "RMSProp"),
    _t("a2_adam", "assignment2", "FullyConnectedNets", [f"{_OPT}:adam"], "Adam with bias correction"),
    _t("a2_leaky_relu", "assignment2", "InitAndActivations", [f"{_ACT}:leaky_relu_forward", f"{_ACT}:leaky_relu_backward"], "leaky ReLU", 1),
    _t("a2_sigmoid", "assignment2", "InitAndActivations", [f"{_ACT}:sigmoid_forward", f"{_ACT}:sigmoid_backward"], "sigmoid", 1),
    _t("a2_tanh", "assignment2", "InitAndActivations", [f"{_ACT}:tanh_forward", f"{_ACT}:tanh_backward"], "tanh", 1),
    _t("a2_elu", "assignment2", "InitAndActivations", [f"{_ACT}:elu_forward", f"{_ACT}:elu_backward"], "ELU", 1),
    _t("a2_silu", "assignment2", "InitAndActivations", [f"{_ACT}:silu_forward", f"{_ACT}:silu_backward"], "SiLU", 1),
    _t("a2_xavier_init", "assignment2", "InitAndActivations", ["cs231n.initializers:xavier_init"], "Xavier/Glorot initialisation", 1),
    _t("a2_he_init", "assignment2", "InitAndActivations", ["cs231n.initializers:he_init"], "He/Kaiming initialisation", 1),
    _t("a2_step_decay", "assignment2", "HyperparameterSearch", [f"{_SCH}:step_decay"], "step decay schedule", 1),
    _t("a2_cosine_decay", "assignment2", "HyperparameterSearch", [f"{_SCH}:cosine_decay"], "cosine schedule", 1),
    _t("a2_linear_warmup", "assignment2", "HyperparameterSearch", [f"{_SCH}:linear_warmup"], "linear warm-up", 1),
    _t("a2_log_uniform", "assignment2", "HyperparameterSearch", [f"{_HP}:log_uniform"], "log-uniform sampling", 1),
    _t("a2_random_search", "assignment2", "HyperparameterSearch", [f"{_HP}:random_search"], "random search"),
    _t("a2_batchnorm_forward", "assignment2", "BatchNormalization", [f"{_NORM}:batchnorm_forward"], "batchnorm forward", 3),
    _t("a2_batchnorm_backward", "assignment2", "BatchNormalization", [f"{_NORM}:batchnorm_backward"], "batchnorm backward", 3),
    _t("a2_batchnorm_backward_alt", "assignment2", "BatchNormalization", [f"{_NORM}:batchnorm_backward_alt"], "simplified batchnorm backward"),
    _t("a2_layernorm_forward", "assignment2", "BatchNormalization", [f"{_NORM}:layernorm_forward"], "layernorm forward"),
    _t("a2_layernorm_backward", "assignment2", "BatchNormalization", [f"{_NORM}:layernorm_backward"], "layernorm backward"),
    _t("a2_dropout_forward", "assignment2", "Dropout", [f"{_LAY}.dropout:dropout_forward"], "inverted dropout forward"),
    _t("a2_dropout_backward", "assignment2", "Dropout", [f"{_LAY}.dropout:dropout_backward"], "dropout backward"),
    _t("a2_l1_penalty", "assignment2", "Dropout", ["cs231n.regularization:l1_penalty"], "L1 weight penalty", 1),
    _t("a2_random_flip_crop", "assignment2", "Dropout", ["cs231n.augmentation:random_flip", "cs231n.augmentation:random_crop"], "random flip and crop augmentation"),
    _t("a2_conv_forward_naive", "assignment2", "ConvolutionalNetworks", [f"{_CONV}:conv_forward_naive"], "naive convolution forward", 3),
    _t("a2_conv_backward_naive", "assignment2", "ConvolutionalNetworks", [f"{_CONV}:conv_backward_naive"], "naive convolution backward", 3),
    _t("a2_max_pool_forward_naive", "assignment2", "ConvolutionalNetworks", [f"{_CONV}:max_pool_forward_naive"], "naive max-pool forward"),
    _t("a2_max_pool_backward_naive", "assignment2", "ConvolutionalNetworks", [f"{_CONV}:max_pool_backward_naive"], "naive max-pool backward"),
    _t("a2_avg_pool_forward_naive", "assignment2", "ConvolutionalNetworks", [f"{_CONV}:avg_pool_forward_naive"], "naive average-pool forward", 1),
    _t("a2_avg_pool_backward_naive", "assignment2", "ConvolutionalNetworks", [f"{_CONV}:avg_pool_backward_naive"], "naive average-pool backward"),
    _t("a2_three_layer_convnet", "assignment2", "ConvolutionalNetworks", ["cs231n.classifiers.cnn:ThreeLayerConvNet"], "ThreeLayerConvNet", 4),
    _t("a2_spatial_batchnorm", "assignment2", "ConvolutionalNetworks", [f"{_NORM}:spatial_batchnorm_forward", f"{_NORM}:spatial_batchnorm_backward"], "spatial batchnorm"),
    _t("a2_spatial_groupnorm", "assignment2", "ConvolutionalNetworks", [f"{_NORM}:spatial_groupnorm_forward", f"{_NORM}:spatial_groupnorm_backward"], "spatial groupnorm"),
    # ---------------------------------------------------------------- assignment3
    _t("a3_rnn_step_forward", "assignment3", "RNN_Captioning", [f"{_RNN}:rnn_step_forward"], "vanilla RNN step forward", 1),
    _t("a3_rnn_step_backward", "assignment3", "RNN_Captioning", [f"{_RNN}:rnn_step_backward"], "vanilla RNN step backward"),
    _t("a3_rnn_forward", "assignment3", "RNN_Captioning", [f"{_RNN}:rnn_forward"], "vanilla RNN over a sequence"),
    _t("a3_rnn_backward", "assignment3", "RNN_Captioning", [f"{_RNN}:rnn_backward"], "backpropagation through time", 3),
    _t("a3_word_embedding_forward", "assignment3", "RNN_Captioning", [f"{_RNN}:word_embedding_forward"], "word embedding forward", 1),
    _t("a3_word_embedding_backward", "assignment3", "RNN_Captioning", [f"{_RNN}:word_embedding_backward"], "word embedding backward (repeated words)"),
    _t("a3_temporal_affine", "assignment3", "RNN_Captioning", [f"{_RNN}:temporal_affine_forward", f"{_RNN}:temporal_affine_backward"], "temporal affine layer", 1),
    _t("a3_temporal_softmax_loss", "assignment3", "RNN_Captioning", [f"{_RNN}:temporal_softmax_loss"], "masked temporal softmax loss"),
    _t("a3_captioning_rnn", "assignment3", "RNN_Captioning", ["cs231n.classifiers.rnn:CaptioningRNN"], "CaptioningRNN: parameters, loss, greedy and sampled captions", 4),
    _t("a3_lstm_step_forward", "assignment3", "LSTM_Captioning", [f"{_RNN}:lstm_step_forward"], "LSTM step forward"),
    _t("a3_lstm_step_backward", "assignment3", "LSTM_Captioning", [f"{_RNN}:lstm_step_backward"], "LSTM step backward", 3),
    _t("a3_lstm_forward", "assignment3", "LSTM_Captioning", [f"{_RNN}:lstm_forward"], "LSTM over a sequence"),
    _t("a3_lstm_backward", "assignment3", "LSTM_Captioning", [f"{_RNN}:lstm_backward"], "LSTM backpropagation through time", 3),
    _t("a3_scaled_dot_product_attention", "assignment3", "Transformer_Captioning", [f"{_TR}:scaled_dot_product_attention_forward", f"{_TR}:scaled_dot_product_attention_backward"], "scaled dot-product attention with masks", 3),
    _t("a3_multihead_attention", "assignment3", "Transformer_Captioning", [f"{_TR}:multihead_attention_forward", f"{_TR}:multihead_attention_backward", f"{_TR}:multihead_self_attention_forward", f"{_TR}:multihead_self_attention_backward"], "multi-head cross- and self-attention", 4),
    _t("a3_positional_encoding", "assignment3", "Transformer_Captioning", [f"{_TR}:positional_encoding"], "sinusoidal positional encoding", 1),
    _t("a3_transformer_block", "assignment3", "Transformer_Captioning", [f"{_TR}:transformer_encoder_block_forward", f"{_TR}:transformer_encoder_block_backward", f"{_TR}:transformer_decoder_block_forward", f"{_TR}:transformer_decoder_block_backward"], "pre-norm encoder and decoder blocks", 4),
    _t("a3_captioning_transformer", "assignment3", "Transformer_Captioning", ["cs231n.classifiers.transformer:CaptioningTransformer"], "CaptioningTransformer", 4),
    _t("a3_vision_transformer", "assignment3", "VisionTransformer", ["cs231n.classifiers.vit:VisionTransformer"], "VisionTransformer: patches, class token, positions, loss and gradients", 4),
)
# fmt: on

ASSIGNMENTS: dict[str, tuple[str, ...]] = {
    "assignment1": ("knn", "svm", "softmax", "backprop", "two_layer_net", "features"),
    "assignment2": (
        "FullyConnectedNets",
        "InitAndActivations",
        "HyperparameterSearch",
        "BatchNormalization",
        "Dropout",
        "ConvolutionalNetworks",
    ),
    "assignment3": (
        "RNN_Captioning",
        "LSTM_Captioning",
        "Transformer_Captioning",
        "VisionTransformer",
    ),
}

_BY_ID = {t.id: t for t in TASKS}


def get_task(task_id: str) -> Task:
    """Return the task with this id, or raise a KeyError that lists close ids."""
    try:
        return _BY_ID[task_id]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(task_id, _BY_ID, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise KeyError(
            f"unknown task id {task_id!r}: expected one of the ids in cs231n.course.tasks.TASKS.{hint}"
        ) from None


def tasks_for(assignment: str | None = None, notebook: str | None = None) -> tuple[Task, ...]:
    """Tasks of one assignment and/or notebook, in teaching order."""
    return tuple(
        t
        for t in TASKS
        if (assignment is None or t.assignment == assignment)
        and (notebook is None or t.notebook == notebook)
    )


def stripped_in(assignment: str) -> tuple[Task, ...]:
    """Tasks whose solutions a student release of ``assignment`` must not contain.

    That is every task of this assignment or of a later one.
    """
    order = list(ASSIGNMENTS)
    if assignment not in order:
        raise KeyError(f"unknown assignment {assignment!r}: expected one of {order}")
    later = set(order[order.index(assignment) :])
    return tuple(t for t in TASKS if t.assignment in later)
