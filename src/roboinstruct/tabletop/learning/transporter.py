"""A language-conditioned Transporter-style pick-and-place policy (CLIPort's family), small
enough to train on 2 CPU cores in minutes.

- Pick: a fully convolutional net over the top-down RGB + height map gives one logit per pixel.
- Place: a key net over the whole image and a query net over a crop around the pick; the query
  features, rotated into R discrete angles, are correlated with the key features: one logit per
  (rotation, pixel). The argmax is where and how the picked object goes.
- Language: FiLM (a scale and shift per feature channel) from a text encoder. The default is a
  learned embedding of hashed words — no model download; any `TextEncoder` (e.g. a pretrained
  sentence encoder where one is available) plugs in by name.

Images are used at half Ravens resolution (160 x 80, 6.25 mm per pixel).
"""

from __future__ import annotations

import math
import zlib
from dataclasses import asdict, dataclass

import torch
from torch import nn
from torch.nn import functional as F

SCALE = 2  # observations are downsampled by this factor


@dataclass
class PolicyConfig:
    rotations: int = 12
    channels: int = 32
    features: int = 16  # place-matching feature channels
    crop: int = 16  # query crop size (pixels at half resolution)
    text: str = "hashed-words"
    text_buckets: int = 1024
    text_dim: int = 32


class TextEncoder(nn.Module):
    """Maps goal strings to vectors of `dim`; subclasses register in TEXT_ENCODERS."""

    dim: int


class HashedWords(TextEncoder):
    """Mean of learned embeddings of the goal's words, hashed into buckets (no vocabulary file)."""

    def __init__(self, buckets: int, dim: int):
        super().__init__()
        self.buckets, self.dim = buckets, dim
        self.embed = nn.EmbeddingBag(buckets, dim, mode="mean")

    def forward(self, texts: list[str]) -> torch.Tensor:
        ids, offsets = [], []
        for t in texts:
            offsets.append(len(ids))
            words = t.lower().replace(",", " ").split() or [""]
            ids += [zlib.crc32(w.encode()) % self.buckets for w in words]
        device = self.embed.weight.device
        return self.embed(torch.tensor(ids, device=device), torch.tensor(offsets, device=device))


TEXT_ENCODERS = {"hashed-words": lambda cfg: HashedWords(cfg.text_buckets, cfg.text_dim)}


class FCN(nn.Module):
    """Encoder-decoder conv net (stride 4 at the bottleneck) with FiLM from the text vector."""

    def __init__(self, cin: int, cout: int, ch: int, text_dim: int):
        super().__init__()
        self.e1 = nn.Conv2d(cin, ch, 3, padding=1)
        self.e2 = nn.Conv2d(ch, 2 * ch, 3, stride=2, padding=1)
        self.e3 = nn.Conv2d(2 * ch, 2 * ch, 3, stride=2, padding=1)
        self.film = nn.Linear(text_dim, 4 * ch)
        self.d2 = nn.Conv2d(4 * ch, ch, 3, padding=1)
        self.d1 = nn.Conv2d(2 * ch, ch, 3, padding=1)
        self.out = nn.Conv2d(ch, cout, 1)

    def forward(self, x: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        h1 = F.relu(self.e1(x))
        h2 = F.relu(self.e2(h1))
        h3 = F.relu(self.e3(h2))
        gamma, beta = self.film(text).chunk(2, dim=1)
        h3 = h3 * (1 + gamma[:, :, None, None]) + beta[:, :, None, None]
        u2 = F.interpolate(h3, size=h2.shape[-2:], mode="nearest")
        u2 = F.relu(self.d2(torch.cat([u2, h2], 1)))
        u1 = F.interpolate(u2, size=h1.shape[-2:], mode="nearest")
        u1 = F.relu(self.d1(torch.cat([u1, h1], 1)))
        return self.out(u1)


def preprocess(color: torch.Tensor, height: torch.Tensor) -> torch.Tensor:
    """[B, 320, 160, 3] uint8 + [B, 320, 160] metres -> [B, 4, 160, 80] at half resolution."""
    x = torch.cat([color.float().permute(0, 3, 1, 2) / 255.0 - 0.5, height.float()[:, None] * 10.0], 1)
    return F.avg_pool2d(x, SCALE)


class Transporter(nn.Module):
    def __init__(self, cfg: PolicyConfig):
        super().__init__()
        self.cfg = cfg
        self.text = TEXT_ENCODERS[cfg.text](cfg)
        self.pick = FCN(4, 1, cfg.channels, self.text.dim)
        self.key = FCN(4, cfg.features, cfg.channels, self.text.dim)
        self.query = FCN(4, cfg.features, cfg.channels, self.text.dim)

    def pick_logits(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return self.pick(x, t)[:, 0]  # [B, H, W]

    def _crop(self, feats: torch.Tensor, rows: torch.Tensor, cols: torch.Tensor) -> torch.Tensor:
        c = self.cfg.crop
        padded = F.pad(feats, (c, c, c, c))
        return torch.stack([padded[b, :, r + c - c // 2: r + c + c // 2, k + c - c // 2: k + c + c // 2]
                            for b, (r, k) in enumerate(zip(rows.tolist(), cols.tolist()))])

    def _rotated(self, crop: torch.Tensor) -> torch.Tensor:
        """[F, c, c] -> [R, F, c, c]: the crop rotated by each discrete angle."""
        step = 2 * math.pi / self.cfg.rotations
        angles = torch.arange(self.cfg.rotations, dtype=torch.float32, device=crop.device) * step
        cos, sin = torch.cos(angles), torch.sin(angles)
        theta = torch.stack([torch.stack([cos, -sin, torch.zeros_like(cos)], 1),
                             torch.stack([sin, cos, torch.zeros_like(cos)], 1)], 1)
        grid = F.affine_grid(theta, [self.cfg.rotations, *crop.shape], align_corners=False)
        return F.grid_sample(crop.expand(self.cfg.rotations, *crop.shape), grid, align_corners=False)

    def place_logits(self, x: torch.Tensor, t: torch.Tensor, rows: torch.Tensor, cols: torch.Tensor) -> torch.Tensor:
        """[B, R, H, W] logits for placing what was picked at (rows, cols)."""
        keys = self.key(x, t)
        crops = self._crop(self.query(x, t), rows, cols)
        out = []
        for b in range(x.shape[0]):
            kernels = self._rotated(crops[b])  # [R, F, c, c]
            logits = F.conv2d(keys[b:b + 1], kernels, padding=self.cfg.crop // 2)
            out.append(logits[0, :, :x.shape[2], :x.shape[3]])
        return torch.stack(out)

    def forward(self, color, height, texts: list[str], pick_rc=None):
        x, t = preprocess(color, height), self.text(texts)
        pick = self.pick_logits(x, t)
        if pick_rc is None:
            flat = pick.flatten(1).argmax(1)
            pick_rc = torch.stack([flat // pick.shape[2], flat % pick.shape[2]], 1)
        return pick, self.place_logits(x, t, pick_rc[:, 0], pick_rc[:, 1]), pick_rc


def losses(model: Transporter, batch: dict) -> torch.Tensor:
    """Cross-entropy of the demonstrated pick pixel and (rotation, place pixel)."""
    pick_rc = batch["pick_pixel"] // SCALE
    place_rc = batch["place_pixel"] // SCALE
    rot = batch["place_rotation"] * model.cfg.rotations // 36 % model.cfg.rotations
    pick, place, _ = model(batch["color"], batch["height"], batch["lang"], pick_rc)
    H, W = pick.shape[1:]
    pick_target = pick_rc[:, 0] * W + pick_rc[:, 1]
    place_target = (rot * H + place_rc[:, 0]) * W + place_rc[:, 1]
    return F.cross_entropy(pick.flatten(1), pick_target) + F.cross_entropy(place.flatten(1), place_target)


def save(model: Transporter, folder, extra: dict) -> None:
    import json
    from pathlib import Path

    from ...artifacts import atomic_path, write_json

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_path(folder / "policy.pt") as tmp:
        torch.save(model.state_dict(), tmp)
    write_json(folder / "policy.json", {"config": asdict(model.cfg), **json.loads(json.dumps(extra, default=str))})


def load(folder) -> Transporter:
    import json
    from pathlib import Path

    from ...errors import UserError

    folder = Path(folder)
    try:
        meta = json.loads((folder / "policy.json").read_text())
        model = Transporter(PolicyConfig(**meta["config"]))
        model.load_state_dict(torch.load(folder / "policy.pt", weights_only=True, map_location="cpu"))
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        raise UserError(f"{folder}: not a trained policy (policy.json + policy.pt): {e}") from None
    model.eval()
    return model
