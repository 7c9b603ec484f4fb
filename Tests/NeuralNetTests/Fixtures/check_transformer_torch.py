"""Cross-check of make_transformer_golden.py against PyTorch (needs torch; not part of the test suite).
Run from this directory: python check_transformer_torch.py  -> max |numpy - torch| = 4.4e-16 with torch 2.x."""
import numpy as np, torch, runpy, io, contextlib
with contextlib.redirect_stdout(io.StringIO()):
    g = runpy.run_path("make_transformer_golden.py")
p, x, block = g["p"], g["x"], g["block"]
D, H, F = 4, 2, 6
layer = torch.nn.TransformerEncoderLayer(D, H, F, dropout=0.0, activation="relu", norm_first=True, batch_first=True).double()
sd = layer.state_dict()
T = lambda a: torch.tensor(a)
sd["self_attn.in_proj_weight"] = T(np.concatenate([p["attention.query.weight"], p["attention.key.weight"], p["attention.value.weight"]]))
sd["self_attn.in_proj_bias"] = T(np.concatenate([p["attention.query.bias"], p["attention.key.bias"], p["attention.value.bias"]]))
sd["self_attn.out_proj.weight"] = T(p["attention.output.weight"]); sd["self_attn.out_proj.bias"] = T(p["attention.output.bias"])
sd["linear1.weight"] = T(p["feed_forward.0.weight"]); sd["linear1.bias"] = T(p["feed_forward.0.bias"])
sd["linear2.weight"] = T(p["feed_forward.2.weight"]); sd["linear2.bias"] = T(p["feed_forward.2.bias"])
for n in ("norm1", "norm2"):
    sd[n + ".weight"] = T(p[n + ".weight"]); sd[n + ".bias"] = T(p[n + ".bias"])
layer.load_state_dict(sd); layer.eval()
with torch.no_grad():
    yt = layer(T(x)).numpy()
print("max |numpy - torch| =", np.abs(yt - block(x)[0]).max())
