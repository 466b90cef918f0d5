"""TRL GRPOTrainer reward function for ScaleLogic items, calling a running `scalelogic serve`.

Standard library only. Usage:

    from trl import GRPOTrainer
    from trl_reward import scalelogic_reward
    trainer = GRPOTrainer(model=..., reward_funcs=[scalelogic_reward], train_dataset=dataset, ...)

TRL passes every dataset column other than `prompt` as a keyword list aligned with the
completions. Ground truth, first match wins per row: a `problem` column (wire form, object or JSON
text) with `task`; `id` + `config`; a `reward_model` column ({ground_truth}); an `answer`,
`ground_truth` or `label` column. Completions may be plain strings or conversations
([{role, content}, …]: the last message's content is scored).

Environment: SCALELOGIC_URL, SCALELOGIC_TOKEN, SCALELOGIC_MODE, SCALELOGIC_TIMEOUT as in
verl_reward.py.
"""

import json
import os
import urllib.request

URL = os.environ.get("SCALELOGIC_URL", "http://127.0.0.1:8000").rstrip("/")
TOKEN = os.environ.get("SCALELOGIC_TOKEN") or None
MODE = os.environ.get("SCALELOGIC_MODE", "strict")
TIMEOUT = float(os.environ.get("SCALELOGIC_TIMEOUT", "120"))


def _text(completion):
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list) and completion and isinstance(completion[-1], dict):
        return str(completion[-1].get("content", ""))
    return str(completion)


def _row_truth(columns, i):
    def col(name):
        values = columns.get(name)
        return values[i] if values is not None and i < len(values) else None

    fields = {}
    if col("problem") is not None:
        fields["problem"] = col("problem")
        if col("answer") is not None and col("task") in ("choice", "choice+proof"):
            fields["answer"] = col("answer")
    elif col("id") is not None and col("config") is not None:
        config = col("config")
        fields["id"] = col("id")
        fields["config"] = json.loads(config) if isinstance(config, str) else config
    else:
        rm = col("reward_model")
        gt = rm.get("ground_truth") if isinstance(rm, dict) else None
        for name in ("answer", "ground_truth", "label"):
            if gt is None:
                gt = col(name)
        if isinstance(gt, str) and gt.lstrip().startswith(("{", "[")):
            try:
                gt = json.loads(gt)
            except ValueError:
                pass
        if isinstance(gt, dict):
            fields.update(gt)
        elif isinstance(gt, (list, tuple)):
            fields["answer"] = [str(x) for x in gt]
        elif gt is not None:
            fields["answer"] = str(gt)
    if col("task") in ("choice", "proof", "choice+proof"):
        fields["task"] = col("task")
    fields.setdefault("mode", MODE)
    return fields


def scalelogic_reward(prompts, completions, **columns):
    """One float per completion: 1.0 when the service verifies it, else 0.0."""
    items = [dict(_row_truth(columns, i), completion=_text(c)) for i, c in enumerate(completions)]
    headers = {"Content-Type": "application/json"}
    if TOKEN:
        headers["Authorization"] = "Bearer " + TOKEN
    request = urllib.request.Request(
        URL + "/v1/score", data=json.dumps({"items": items}).encode("utf-8"), headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        body = json.loads(response.read().decode("utf-8"))
    return [float(r) for r in body["rewards"]]
