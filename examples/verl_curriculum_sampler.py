"""A verl curriculum sampler that lets the ScaleLogic service choose each batch's depth.

verl calls ``update(batch)`` on the training dataloader's sampler after every step (the
``AbstractCurriculumSampler`` hook). There this sampler reports the batch's rewards, per item with
its depth and level, to ``POST /v1/curriculum/feedback``; when the dataloader asks for the next
batch it calls ``POST /v1/curriculum/next`` and gets back the spec: how many items of which
(level, depth). It then yields dataset indices that match the spec, drawn from a
ScaleLogic dataset whose rows carry ``extra_info.level`` and ``extra_info.depth`` (the layout
``scalelogic generate --format parquet`` writes; generate it uniform over 1..D so every depth is
available).

The controller state travels with every request and is kept here, in ``state_dict()`` (so verl's
dataloader checkpoint resumes the curriculum) and, if ``state_path`` is set, in a JSON file written
atomically after every update.

Standard library only. Configure it in the verl trainer config, for example::

    data.sampler.class_path=examples/verl_curriculum_sampler.py
    data.sampler.class_name=ScaleLogicCurriculumSampler
    data.dataloader_num_workers=0            # verl requires this for curriculum samplers
    +data.scalelogic_curriculum.url=http://127.0.0.1:8000
    +data.scalelogic_curriculum.schedule={kind:step,level:conjunction,maxDepth:16,batchSize:256}
    +data.scalelogic_curriculum.seed=1

``schedule.batchSize`` should equal ``data.train_batch_size``. The token may also come from the
environment variable SCALELOGIC_TOKEN, the URL from SCALELOGIC_URL.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
import urllib.error
import urllib.request
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

try:  # verl is only needed when the class is used inside a trainer.
    from verl.experimental.dataset.sampler import AbstractCurriculumSampler as _Base
except ImportError:  # pragma: no cover - lets the module be read and tried without verl installed
    _Base = object  # type: ignore[assignment, misc]


def _get(cfg: Any, key: str, default: Any = None) -> Any:
    """Reads a key from a dict or an OmegaConf DictConfig alike."""
    if cfg is None:
        return default
    if isinstance(cfg, dict):
        return cfg.get(key, default)
    getter = getattr(cfg, "get", None)
    return getter(key, default) if callable(getter) else getattr(cfg, key, default)


def _plain(x: Any) -> Any:
    """Turns OmegaConf containers (or anything dict/list-like) into plain JSON values."""
    if isinstance(x, (str, int, float, bool)) or x is None:
        return x
    if hasattr(x, "items"):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)) or hasattr(x, "__iter__"):
        return [_plain(v) for v in x]
    return x


class CurriculumServiceError(RuntimeError):
    """The service rejected a request (the message carries its issue codes)."""


class CurriculumClient:
    """Minimal JSON client for the curriculum routes, with retries on connection errors."""

    def __init__(self, url: str, token: Optional[str] = None, timeout: float = 30.0, retries: int = 5):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries

    def post(self, path: str, body: Dict[str, Any]) -> Dict[str, Any]:
        data = json.dumps(body).encode("utf-8")
        headers = {"content-type": "application/json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        delay = 0.5
        for attempt in range(self.retries + 1):
            req = urllib.request.Request(self.url + path, data=data, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    return json.loads(resp.read().decode("utf-8"))
            except urllib.error.HTTPError as e:
                text = e.read().decode("utf-8", "replace")
                if 400 <= e.code < 500:
                    # A rejected request will be rejected again: report it instead of retrying.
                    raise CurriculumServiceError(f"{path}: HTTP {e.code}: {text}") from None
                if attempt == self.retries:
                    raise CurriculumServiceError(f"{path}: HTTP {e.code}: {text}") from None
            except (urllib.error.URLError, TimeoutError, ConnectionError):
                if attempt == self.retries:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 10.0)
        raise AssertionError("unreachable")


def _row_level_depth(row: Any) -> Optional[Tuple[str, int]]:
    """(level, depth) from a dataset row or an extra_info dict, if present."""
    info = _get(row, "extra_info", row)
    if isinstance(info, str):
        try:
            info = json.loads(info)
        except ValueError:
            return None
    level, depth = _get(info, "level"), _get(info, "depth")
    if level is None or depth is None:
        return None
    return str(level), int(depth)


class ScaleLogicCurriculumSampler(_Base):  # type: ignore[misc, valid-type]
    """Yields dataset indices batch by batch as the ScaleLogic curriculum service specifies."""

    def __init__(self, data_source: Any, data_config: Any):
        cfg = _get(data_config, "scalelogic_curriculum", {}) or {}
        url = _get(cfg, "url") or os.environ.get("SCALELOGIC_URL", "http://127.0.0.1:8000")
        token = _get(cfg, "token") or os.environ.get("SCALELOGIC_TOKEN")
        self.client = CurriculumClient(url, token)
        self.schedule = _plain(_get(cfg, "schedule", {"kind": "step"}))
        self.seed = int(_get(cfg, "seed", 0))
        self.state_path: Optional[str] = _get(cfg, "state_path")
        self.data_source = data_source
        self.pools = self._index(data_source)
        if not self.pools:
            raise ValueError("no dataset row has extra_info.level and extra_info.depth")
        self.state: Optional[Dict[str, Any]] = self._load_state()
        self.spec: Optional[Dict[str, Any]] = None

    # -- dataset index -------------------------------------------------------------------------
    @staticmethod
    def _index(data_source: Any) -> Dict[Tuple[str, int], List[int]]:
        pools: Dict[Tuple[str, int], List[int]] = {}
        frame = getattr(data_source, "dataframe", None)
        column: Optional[Sequence[Any]] = None
        if frame is not None:
            try:
                column = frame["extra_info"]  # a HF datasets column: no prompt processing needed
            except (KeyError, TypeError):
                column = None
        rows: Sequence[Any] = column if column is not None else [data_source[i] for i in range(len(data_source))]
        for i, row in enumerate(rows):
            key = _row_level_depth(row)
            if key is not None:
                pools.setdefault(key, []).append(i)
        return pools

    def _pick(self, level: str, depth: int, count: int, rng: random.Random) -> List[int]:
        pool = self.pools.get((level, depth))
        if not pool:
            # Nearest depth at the same level that the dataset has (say so once per miss).
            same = sorted((abs(d - depth), d) for (lv, d) in self.pools if lv == level)
            if not same:
                raise ValueError(f"dataset has no rows at level {level}")
            pool = self.pools[(level, same[0][1])]
            print(f"[scalelogic curriculum] no rows at {level} depth {depth}; using depth {same[0][1]}")
        if count <= len(pool):
            return rng.sample(pool, count)
        return [rng.choice(pool) for _ in range(count)]

    # -- state ---------------------------------------------------------------------------------
    def _load_state(self) -> Optional[Dict[str, Any]]:
        if self.state_path and os.path.exists(self.state_path):
            with open(self.state_path, "r", encoding="utf-8") as f:
                return json.load(f)
        return None

    def _save_state(self) -> None:
        if not self.state_path or self.state is None:
            return
        directory = os.path.dirname(os.path.abspath(self.state_path))
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".curriculum.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.state, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.state_path)

    def state_dict(self) -> Dict[str, Any]:
        """Checkpointed by verl's StatefulDataLoader, so a resumed run continues the curriculum."""
        return {"curriculum_state": self.state}

    def load_state_dict(self, state: Dict[str, Any]) -> None:
        self.state = state.get("curriculum_state")

    # -- the two hooks verl uses ---------------------------------------------------------------
    def _next_spec(self) -> Dict[str, Any]:
        body: Dict[str, Any] = (
            {"state": self.state} if self.state is not None else {"schedule": self.schedule, "seed": self.seed}
        )
        reply = self.client.post("/v1/curriculum/next", body)
        self.state = reply["state"]
        self.spec = reply["spec"]
        self._save_state()
        return self.spec

    def __iter__(self) -> Iterator[int]:
        produced = 0
        total = len(self)
        while produced < total:
            spec = self._next_spec()
            # The batch's generator seed also seeds the choice of rows, so a replayed curriculum
            # log selects the same rows again.
            rng = random.Random(int(spec["generatorSeed"]))
            indices: List[int] = []
            for entry in spec["allocation"]:
                indices.extend(self._pick(spec["level"], int(entry["depth"]), int(entry["count"]), rng))
            rng.shuffle(indices)
            for i in indices:
                if produced >= total:
                    return
                produced += 1
                yield i

    def __len__(self) -> int:
        return len(self.data_source)

    def update(self, batch: Any) -> None:
        """Called by verl after each training step with the step's DataProto."""
        infos = batch.non_tensor_batch.get("extra_info")
        scores = batch.batch["token_level_scores"].sum(dim=-1).tolist()
        items = []
        for info, score in zip(list(infos), scores):
            key = _row_level_depth(info)
            if key is None:
                continue
            # verl rewards may be outside [0, 1] (e.g. -1 for a wrong answer): clamp, since the
            # controller's threshold and band are accuracies.
            items.append({"level": key[0], "depth": key[1], "reward": min(1.0, max(0.0, float(score)))})
        if not items or self.state is None:
            return
        reply = self.client.post("/v1/curriculum/feedback", {"state": self.state, "report": {"items": items}})
        self.state = reply["state"]
        self._save_state()
        print(
            f"[scalelogic curriculum] accuracy {reply.get('accuracy')} on {reply.get('inRange')} "
            f"in-range items: {reply.get('action')}"
        )


if __name__ == "__main__":  # a dry run against a running service, without verl
    class _Frame:
        def __init__(self, rows: List[Dict[str, Any]]):
            self.rows = rows

        def __getitem__(self, key: str) -> List[Any]:
            return [r[key] for r in self.rows]

    class _Data:
        def __init__(self) -> None:
            self.dataframe = _Frame(
                [{"extra_info": {"level": "conjunction", "depth": 1 + i % 16}} for i in range(512)]
            )

        def __len__(self) -> int:
            return 512

    class _Scores(list):
        def sum(self, dim: int = -1) -> "_Scores":
            return self

        def tolist(self) -> List[float]:
            return list(self)

    class _Batch:
        def __init__(self, infos: List[Dict[str, Any]], scores: List[float]):
            self.non_tensor_batch = {"extra_info": infos}
            self.batch = {"token_level_scores": _Scores(scores)}

    sampler = ScaleLogicCurriculumSampler(
        _Data(),
        {"scalelogic_curriculum": {"schedule": {"kind": "step", "level": "conjunction", "maxDepth": 16, "batchSize": 32}}},
    )
    it = iter(sampler)
    for step in range(6):
        idx = [next(it) for _ in range(32)]
        infos = [sampler.data_source.dataframe.rows[i]["extra_info"] for i in idx]
        # Pretend the policy solves everything: the step curriculum should raise the cap.
        sampler.update(_Batch(infos, [1.0] * len(idx)))
        print(f"step {step}: depths {sorted({i['depth'] for i in infos})}")
