# Writes tiny_mlp.safetensors and prints the values the NeuralNet tests expect from it.
#   python make_fixture.py
# in a virtual environment with torch and safetensors (pip install torch safetensors).
import torch, torch.nn as nn
from safetensors.torch import save_file
torch.manual_seed(0)
m = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
m(torch.randn(8, 3))  # one training-mode pass, so the running statistics are not 0 and 1
m.eval()
save_file(m.state_dict(), "tiny_mlp.safetensors", metadata={"source": "make_fixture.py"})
x = torch.arange(6.).reshape(2, 3).mul(0.5).sin()
print("x", [f"{v:.9g}" for v in x.flatten().tolist()])
print("0.weight", [f"{v:.9g}" for v in m[0].weight.flatten().tolist()])
print("1.running_var", [f"{v:.9g}" for v in m[1].running_var.tolist()])
print("y", [f"{v:.9g}" for v in m(x).detach().flatten().tolist()])
