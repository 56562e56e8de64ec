"""The colour names tasks use (utils.COLORS), as data: rgb in [0, 1]."""

COLORS = {
    "blue": [0.306, 0.475, 0.655], "red": [0.882, 0.341, 0.349], "green": [0.349, 0.631, 0.310],
    "orange": [0.949, 0.557, 0.169], "yellow": [0.929, 0.788, 0.282], "purple": [0.690, 0.478, 0.631],
    "pink": [1.000, 0.616, 0.655], "cyan": [0.463, 0.718, 0.698], "brown": [0.612, 0.459, 0.373],
    "gray": [0.729, 0.690, 0.675], "white": [0.95, 0.95, 0.95], "black": [0.1, 0.1, 0.1],
    "silver": [0.75, 0.75, 0.75], "gold": [0.83, 0.69, 0.22], "olive": [0.5, 0.5, 0.0],
    "indigo": [0.29, 0.0, 0.51], "violet": [0.56, 0.0, 1.0],
}
TRAIN_COLORS = ["blue", "red", "green", "yellow", "brown", "gray", "cyan"]
EVAL_COLORS = ["blue", "red", "green", "orange", "purple", "pink", "white"]
