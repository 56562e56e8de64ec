"""What task code may touch, as data: the names of every stand-in's members and the attribute
allow-list the static check enforces (`taskcode`), read by the worker's stand-ins too (`taskapi.standins`).

One list on the caller's side, so the check that refuses a file and the namespaces that serve it
cannot drift apart, and so the check stays pure AST (no numpy, no pybullet here). An attribute not
listed is refused before anything runs: the surface is what the list names, not what the objects
behind it happen to have (an ndarray's `view`, `data`, `base`, `strides` reach raw memory; a
function's or frame's attributes reach real builtins).
"""

from __future__ import annotations

NUMPY_NAMES = """
pi e inf nan newaxis float32 float64 int32 int64 uint8 bool_ ndarray
array asarray zeros ones full zeros_like ones_like full_like arange linspace eye identity
concatenate stack vstack hstack dstack column_stack reshape transpose squeeze expand_dims
atleast_1d atleast_2d clip where argmin argmax argsort argwhere nonzero sum mean median std var
min max amin amax abs absolute sqrt square exp log log2 log10 sin cos tan arcsin arccos arctan
arctan2 hypot deg2rad rad2deg radians degrees round around floor ceil sign dot matmul cross outer
copy repeat tile meshgrid unique isclose allclose array_equal all any logical_and logical_or
logical_not maximum minimum cumsum cumprod prod diff sort flip fliplr flipud roll mod fmod
remainder power count_nonzero floor_divide interp shape size ndim isin int_ float_ float16
""".split()  # no `empty` (uninitialised memory), no frombuffer/fromfile/memmap/ctypeslib/lib
# the numpy classes: exposed as guarded stand-ins (callable as converters, usable in isinstance and
# as dtypes), never the real class, whose constructor takes a raw buffer
NUMPY_TYPES = ("ndarray", "float32", "float64", "float16", "int32", "int64", "uint8", "bool_", "int_", "float_")
# no factorial/comb/perm/prod/isqrt: unbounded integer work the step budget cannot see
MATH_NAMES = ("pi e tau inf nan sqrt sin cos tan asin acos atan atan2 hypot degrees radians floor ceil fabs "
              "isclose exp log log2 log10 copysign fmod trunc isfinite isnan dist").split()
NP_RANDOM_NAMES = "rand randn randint uniform choice shuffle permutation random random_sample normal".split()
LINALG_NAMES = "norm inv det pinv".split()
RANDOM_NAMES = ("random", "randint", "choice", "choices", "shuffle", "sample", "uniform", "randrange")
UTILS_NAMES = ("COLORS", "TRAIN_COLORS", "EVAL_COLORS", "get_colors", "get_random_color", "get_colors_names",
               "apply", "multiply", "invert", "eulerXYZ_to_quatXYZW", "quatXYZW_to_eulerXYZ", "TreeNode",
               "KDTree", "solve_hanoi_all", "map_kit_scale", "assembling_kit_shapes", "google_all_shapes",
               "google_seen_obj_shapes", "google_unseen_obj_shapes")
PYBULLET_NAMES = ("getQuaternionFromEuler", "getEulerFromQuaternion", "getMatrixFromQuaternion",
                  "multiplyTransforms", "invertTransform", "getBasePositionAndOrientation", "getAABB",
                  "changeVisualShape", "resetBasePositionAndOrientation", "getVisualShapeData",
                  "stepSimulation", "GEOM_BOX", "GEOM_SPHERE", "GEOM_CYLINDER")
MODULE_MEMBERS = {"path", "join", "basename", "dirname", "splitext", "Tuple", "List", "Dict", "Optional", "Any",
                  "copy", "deepcopy", "embed", "utils", "primitives", "PickPlace", "push", "Suction", "Spatula",
                  "random", "linalg"}
# the Task API (taskapi.task.Task) a task calls on itself or on super()
TASK_API = {
    "reset", "additional_reset", "get_random_pose", "get_random_size", "fill_template", "add_corner_anchor_for_pose",
    "is_match", "get_box_object_points", "get_sphere_object_points", "get_mesh_object_points", "color_random_brown",
    "spawn_box", "get_reward", "set_assets_root", "get_asset_full_path", "add_goal", "zip_obj_ids", "reward",
    "done", "get_lang_goal", "num_blocks", "make_piles", "make_ropes", "make_rope", "get_kitting_shapes",
    "make_kitting_objects", "get_target_sample_surface_points", "add_object", "obj_ids", "goals", "lang_goals", "max_steps", "lang_template",
    "task_completed_desc", "pos_eps", "rot_eps", "ee", "primitive", "mode", "bounds", "zone_bounds", "progress",
    "parent", "children", "bbox", "name", "supported",  # TreeNode, end-effector markers (read only)
}
# plain values' methods (str, list, dict, set, tuple, numbers): what LLM-written helpers use
PLAIN_METHODS = set("""
append extend insert pop remove clear index count reverse sort copy keys values items get update setdefault
popitem add discard union intersection difference symmetric_difference issubset issuperset isdisjoint
join split rsplit splitlines strip lstrip rstrip replace startswith endswith find rfind lower upper title
capitalize casefold isdigit isalpha isalnum isspace islower isupper zfill center ljust rjust partition
rpartition removeprefix removesuffix encode format is_integer as_integer_ratio bit_length conjugate real imag
""".split())
# an ndarray's (and a numpy scalar's) own members that compute on its values: nothing that aliases
# its memory (view, data, base, strides, ctypes, __array_interface__) or writes it out (tofile, dump)
ARRAY_MEMBERS = set("""
shape ndim size dtype T flat reshape flatten ravel tolist astype item sum mean min max argmin argmax std var
prod any all clip round transpose squeeze cumsum cumprod dot argsort nonzero fill repeat swapaxes conj
itemsize kind
""".split())
# names GenSim's files use that no stand-in has: allowed by the check, so such a file fails where
# GenSim's meaning is missing (unsupported ropes, meshes, textures) with that reason, at runtime
GENSIM_ABSENT = {"q_mult", "loadTexture"}
ALLOWED_ATTRIBUTES = frozenset(
    set(NUMPY_NAMES) | GENSIM_ABSENT | set(MATH_NAMES) | set(NP_RANDOM_NAMES) | set(LINALG_NAMES) | set(RANDOM_NAMES)
    | set(UTILS_NAMES) | set(PYBULLET_NAMES) | MODULE_MEMBERS | TASK_API | PLAIN_METHODS | ARRAY_MEMBERS
) - {"format_map", "mro", "view", "data", "base", "strides", "ctypes", "tofile", "dump", "dumps"}
# builtins task code may not name: addresses (id, and hash, whose value for most objects is the
# address rotated) are the first step of every raw-memory attack
TASK_FORBIDDEN_NAMES = frozenset({"id", "hash"})
# the largest zone side a goal may declare (metres): the workspace is 0.5 x 1.0 m, so a larger zone
# covers the whole table and counts any placement
MAX_ZONE_SIDE = 0.5
