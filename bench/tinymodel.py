"""A tiny, real zh→en Argos Translate package with random weights, for tests and benchmarks.

Never used by the build. It is real in every way the code under test can see: a
SentencePiece model trained on the given text, a CTranslate2 Transformer (saved with
`TransformerSpec`) and the metadata.json layout that `argostranslate.package` reads, zipped
into a `.argosmodel` that `install_from_path` accepts. Its English is noise, but it is
deterministic noise (seeded weights, greedy or beam search on CPU), which is all a test of
the plumbing and a throughput benchmark need; outputs end after a few dozen pieces, as a
trained model's do (_length_control). Building one takes about a second.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

PACKAGE_VERSION = "0.0.1-tiny"
# Output length (see _length_control): with these the 78 seed sentences decode to 12–71
# pieces, median 44 (their sources: 6–148 pieces, mean 44), none to the 256 limit.
RAMP = 0.2  # the counting dimension's position encoding per step
EOS_WEIGHT = 12.0  # how strongly </s> reads it
EOS_BIAS = 0.0  # lower: longer outputs

# A little English so the shared vocabulary also has target-side pieces.
_ENGLISH = """\
Gulou District is building four zones at once and seeks development through innovation.
Sales at the six shopping centers reached CNY 142.244 million, up 46.9% year on year.
The High-tech Zone covers 11.4 km2 and hosts semiconductor and photovoltaic companies.
Xinhua Semiconductor produces electronic-grade polysilicon for 12-inch wafers.
FinDreams Battery and Huaihai Holding set up a joint venture for sodium-ion batteries.
The district registered 177 technology-based small and medium-sized enterprises in 2022.
Passenger flow exceeded 1.5 million visits, and visitors from other cities made up over 30%.
"""


def _train_sentencepiece(lines: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, vocab_size=vocab_size,
        character_coverage=1.0, model_type="unigram", hard_vocab_limit=False,
        num_threads=1, minloglevel=2, seed_sentencepiece_size=20000,
        # ctranslate2 expects these special tokens in the vocabulary, as OpenNMT does
        unk_piece="<unk>", bos_piece="<s>", eos_piece="</s>", pad_id=-1,
    )
    return model.getvalue()


def _vocabulary(sp_model: bytes) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    # ctranslate2 looks up <unk>, <s>, </s> by name; <blank> is OpenNMT's padding token.
    return ["<blank>"] + pieces


def _random_spec(vocab: list[str], d_model: int, layers: int, heads: int, seed: int,
                 eos_bias: float, unk_bias: float):
    import numpy as np
    from ctranslate2.specs import transformer_spec

    spec = transformer_spec.TransformerSpec.from_config(layers, heads)
    rng = np.random.default_rng(seed)
    ffn = 2 * d_model
    v = len(vocab)

    def shape_of(name: str) -> tuple[int, ...] | None:
        parts = name.split("/")
        leaf, parent = parts[-1], parts[-2] if len(parts) > 1 else ""
        if leaf in ("gamma", "beta"):
            return (d_model,)
        if leaf == "weight" and parent.startswith("embeddings"):
            return (v, d_model)
        if leaf == "weight" and parent == "projection":
            return (v, d_model)
        if leaf == "weight" and parent.startswith("linear_"):
            block = parts[-3]
            index = int(parent.split("_")[1])
            if block == "ffn":
                return (ffn, d_model) if index == 0 else (d_model, ffn)
            if block == "self_attention":
                return (3 * d_model, d_model) if index == 0 else (d_model, d_model)
            if block == "attention":  # decoder cross-attention: query, fused key/value, output
                return {0: (d_model, d_model), 1: (2 * d_model, d_model), 2: (d_model, d_model)}[index]
        return None

    def fill(layer, name, value):
        if value is not None:
            return
        shape = shape_of(name)
        if shape is None:
            raise ValueError(f"tiny model: no shape known for {name}")
        if name.endswith("gamma"):
            array = np.ones(shape, dtype=np.float32)
        elif name.endswith("beta"):
            array = np.zeros(shape, dtype=np.float32)
        else:
            array = (rng.standard_normal(shape) * 0.5).astype(np.float32)
        setattr(layer, name.split("/")[-1], array)
        arrays[name] = array

    arrays: dict[str, np.ndarray] = {}
    spec._visit(fill)
    _length_control(spec, arrays, vocab, d_model, eos_bias)
    spec.decoder.projection.bias[vocab.index("<unk>")] = unk_bias
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    return spec


def _length_control(spec, arrays: dict, vocab: list[str], d_model: int, eos_bias: float) -> None:
    """Make the decoder end its output after a few dozen tokens, as a trained model does.

    Random weights alone almost never pick </s>: every output would run to the 256-token
    decoding limit, and a throughput benchmark would measure nothing but that limit (and
    a constant </s> bias does not help: a sentence either ends at once or falls into a loop
    where </s> never wins). So one dimension of the decoder's state counts the position:
    its position encoding is a ramp, its token embeddings and every residual write to it
    are zero, and the </s> row of the output layer reads it. The </s> logit then grows
    step by step and wins after some dozens of steps (fewer for a higher `eos_bias`), at a
    length that varies from sentence to sentence with the other (random) logits. (Lengths do
    not follow the source's length, as a real model's would.)"""
    import numpy as np

    k = 0  # the counting dimension
    arrays["decoder/embeddings/weight"][:, k] = 0.0
    for name, array in arrays.items():
        if not name.startswith("decoder/layer_"):
            continue
        if name.endswith(("self_attention/linear_1/weight", "attention/linear_2/weight",
                          "ffn/linear_1/weight")) and array.shape[0] == d_model:
            array[k, :] = 0.0  # the layer's output projections: nothing writes to dimension k
    positions = np.arange(1024, dtype=np.float32)[:, None]
    half = d_model // 2
    inv = np.exp(-np.log(10000.0) * np.arange(half, dtype=np.float32) / max(1, half - 1))
    table = np.concatenate([np.sin(positions * inv), np.cos(positions * inv)], axis=1)  # sinusoidal
    scale = float((d_model / 32) ** 0.75)  # the residual stream grows with d_model
    table[:, k] = positions[:, 0] * RAMP * scale
    spec.decoder.position_encodings.encodings = table.astype(np.float32)
    projection = arrays["decoder/projection/weight"]
    eos = vocab.index("</s>")
    projection[eos, :] = 0.0
    projection[eos, k] = EOS_WEIGHT * scale
    bias = np.zeros((len(vocab),), dtype=np.float32)
    bias[eos] = eos_bias
    spec.decoder.projection.bias = bias


def build_argosmodel(text: str, target: Path, *, vocab_size: int = 800, d_model: int = 32,
                     layers: int = 1, heads: int = 2, seed: int = 7, eos_bias: float = EOS_BIAS,
                     unk_bias: float = 0.0) -> Path:
    """Write a tiny zh→en `.argosmodel` trained on `text` to `target` and return its path."""
    lines = [line.strip() for line in (text + "\n" + _ENGLISH).splitlines() if line.strip()]
    sp_model = _train_sentencepiece(lines, vocab_size)
    spec = _random_spec(_vocabulary(sp_model), d_model, layers, heads, seed, eos_bias, unk_bias)
    metadata = {
        "package_version": PACKAGE_VERSION, "argos_version": "1.12", "type": "translate",
        "from_code": "zh", "from_name": "Chinese", "to_code": "en", "to_name": "English",
        "code": "translate-zh_en", "links": [],
    }
    folder = "translate-zh_en-tiny"
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "model"
        model_dir.mkdir()
        spec.save(str(model_dir))
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{folder}/metadata.json", json.dumps(metadata, indent=2))
            archive.writestr(f"{folder}/sentencepiece.model", sp_model)
            archive.writestr(f"{folder}/README.md", "Tiny random-weight zh→en model for tests.\n")
            for path in sorted(model_dir.iterdir()):
                archive.write(path, f"{folder}/model/{path.name}")
    return target
