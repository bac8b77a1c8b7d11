#!/usr/bin/env python3
"""Golden values for src/losses, computed independently in float64 numpy from methods.md.

Run: python3 src/losses/golden/make_golden.py   (needs numpy; writes golden.json beside this file)
Inputs are rounded to 4 decimals so the float32 tensors in the tests hold the same numbers.
"""
import json
import math
import os

import numpy as np

rng = np.random.default_rng(20251122)


def rand(*shape, positive=False):
    x = rng.standard_normal(shape)
    if positive:
        x = np.abs(x)
    return np.round(x, 4)


def log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def softmax(z):
    return np.exp(log_softmax(z))


def cross_entropy(z, y):
    return -log_softmax(z)[np.arange(len(y)), y].mean()


def kd(zs, zt, T):
    pt = softmax(zt / T)
    return T * T * (pt * (np.log(pt) - log_softmax(zs / T))).sum(axis=1).mean()


def tfkd(zs, y, a, T):
    C = zs.shape[1]
    pd = np.full(zs.shape, (1 - a) / (C - 1))
    pd[np.arange(len(y)), y] = a
    return kd(zs, pd, T)


def hint(u, r, form):
    d2 = (u - r) ** 2
    if form == 'mse':
        return d2.mean()
    return 0.5 * d2.reshape(len(u), -1).sum(axis=1).mean()


def normalize_rows(x):
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def bilinear_align_corners(img, out_h, out_w):
    """img [H, W] -> [out_h, out_w], align_corners=True (PyTorch semantics)."""
    h, w = img.shape
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        y = i * (h - 1) / (out_h - 1) if out_h > 1 else 0.0
        y0 = int(np.floor(y)); y1 = min(y0 + 1, h - 1); fy = y - y0
        for j in range(out_w):
            x = j * (w - 1) / (out_w - 1) if out_w > 1 else 0.0
            x0 = int(np.floor(x)); x1 = min(x0 + 1, w - 1); fx = x - x0
            out[i, j] = ((1 - fy) * (1 - fx) * img[y0, x0] + (1 - fy) * fx * img[y0, x1]
                         + fy * (1 - fx) * img[y1, x0] + fy * fx * img[y1, x1])
    return out


def at(fs, ft, p, form):
    qs = (np.abs(fs) ** p).sum(axis=3)
    qt = (np.abs(ft) ** p).sum(axis=3)
    H = max(qs.shape[1], qt.shape[1]); W = max(qs.shape[2], qt.shape[2])
    resize = lambda q: q if q.shape[1:] == (H, W) else np.stack([bilinear_align_corners(m, H, W) for m in q])
    B = fs.shape[0]
    d = normalize_rows(resize(qs).reshape(B, -1)) - normalize_rows(resize(qt).reshape(B, -1))
    if form == 'repdistiller':
        return (d ** 2).mean()
    return np.linalg.norm(d, axis=1).mean() / (2 * H * W)


def fsp_matrix(f1, f2):
    B, h, w, m = f1.shape
    n = f2.shape[3]
    G = np.zeros((B, m, n))
    for b in range(B):
        for i in range(m):
            for j in range(n):
                G[b, i, j] = (f1[b, :, :, i] * f2[b, :, :, j]).sum() / (h * w)
    return G


def fsp(t1, t2, s1, s2, form):
    d2 = (fsp_matrix(t1, t2) - fsp_matrix(s1, s2)) ** 2
    return d2.mean() if form == 'repdistiller' else d2.sum(axis=(1, 2)).mean()


def nst(fs, ft, kernel, d=2, c=0.0, sigma=1.0):
    def vectors(f):
        B, h, w, k = f.shape
        v = f.reshape(B, h * w, k).transpose(0, 2, 1)
        return v / np.maximum(np.linalg.norm(v, axis=2, keepdims=True), 1e-12)

    def k(x, y):
        if kernel == 'linear':
            return x @ y
        if kernel == 'polynomial':
            return (x @ y + c) ** d
        sq = ((x[:, None, :] - y.T[None, :, :]) ** 2).sum(axis=2)
        return np.exp(-sq / (2 * sigma ** 2))

    S, Tt = vectors(fs), vectors(ft)
    total = 0.0
    for b in range(fs.shape[0]):
        t, s = Tt[b], S[b]
        total += k(t, t.T).mean() + k(s, s.T).mean() - 2 * k(t, s.T).mean()
    return total / fs.shape[0]


def sp(fs, ft):
    def G(f):
        q = f.reshape(len(f), -1)
        return normalize_rows(q @ q.T)
    B = len(fs)
    return ((G(ft) - G(fs)) ** 2).sum() / (B * B)


def huber(x, y):
    a = np.abs(x - y)
    return np.where(a < 1, 0.5 * a ** 2, a - 0.5)


def rkd_distance(fs, ft):
    def psi(f):
        x = f.reshape(len(f), -1)
        D = np.linalg.norm(x[:, None, :] - x[None, :, :], axis=2)
        B = len(x)
        return D / (D.sum() / (B * (B - 1)))
    B = len(fs)
    return huber(psi(fs), psi(ft)).sum() / (B * (B - 1))


def rkd_angle(fs, ft):
    def cosines(f):
        x = f.reshape(len(f), -1)
        B = len(x)
        out = {}
        for b in range(B):
            for a in range(B):
                for c in range(B):
                    if len({a, b, c}) == 3:
                        u = x[a] - x[b]; v = x[c] - x[b]
                        out[(a, b, c)] = u @ v / (np.linalg.norm(u) * np.linalg.norm(v))
        return out
    cs, ct = cosines(fs), cosines(ft)
    return np.mean([huber(cs[key], ct[key]) for key in cs])


def pkt(fs, ft, form):
    def cosine_kernel(f):
        x = f.reshape(len(f), -1)
        x = x / np.linalg.norm(x, axis=1, keepdims=True)
        return (x @ x.T + 1) / 2

    Ks, Kt = cosine_kernel(fs), cosine_kernel(ft)
    B = len(fs)
    if form == 'repdistiller':
        # The authors' code: rows normalised over all samples, self included, eps in the log.
        eps = 1e-7
        ps = Ks / Ks.sum(axis=1, keepdims=True)
        pt = Kt / Kt.sum(axis=1, keepdims=True)
        return (pt * np.log((pt + eps) / (ps + eps))).mean()
    # The paper: p_{i|j} = K(i, j) / sum_{k != j} K(k, j), KL over i != j, averaged over j.
    total = 0.0
    for j in range(B):
        others = [i for i in range(B) if i != j]
        zt = sum(Kt[k, j] for k in others)
        zs = sum(Ks[k, j] for k in others)
        for i in others:
            p, q = Kt[i, j] / zt, Ks[i, j] / zs
            total += p * np.log(p / q)
    return total / B


def softplus(x):
    return np.log1p(np.exp(x))


def vid(ft, fs, weights, form):
    """Ahn et al. 2019: regressor of three 1x1 convolutions (ReLU between), per-channel variance softplus(alpha) + 1e-5."""
    k1, b1, k2, b2, k3, b3, alpha = weights
    x = np.maximum(fs @ k1 + b1, 0)
    x = np.maximum(x @ k2 + b2, 0)
    mean = x @ k3 + b3
    var = softplus(alpha) + 1e-5
    per_element = 0.5 * ((mean - ft) ** 2 / var + np.log(var))
    if form == 'repdistiller':
        return per_element.mean()
    return per_element.mean() * ft.shape[-1]


def dkd(zs, zt, y, T, alpha, beta):
    """Zhao et al. 2022, from the definitions: binary target/other KL and KL over the renormalised other classes."""
    ps, pt = softmax(zs / T), softmax(zt / T)
    rows = np.arange(len(y))
    bs = np.stack([ps[rows, y], 1 - ps[rows, y]], axis=1)
    bt = np.stack([pt[rows, y], 1 - pt[rows, y]], axis=1)
    tckd = (bt * (np.log(bt) - np.log(bs))).sum(axis=1)
    others = np.ones_like(ps, dtype=bool)
    others[rows, y] = False
    qs = ps[others].reshape(len(y), -1)
    qt = pt[others].reshape(len(y), -1)
    qs, qt = qs / qs.sum(axis=1, keepdims=True), qt / qt.sum(axis=1, keepdims=True)
    nckd = (qt * (np.log(qt) - np.log(qs))).sum(axis=1)
    return T * T * (alpha * tckd + beta * nckd).mean()


def discriminator(z, weights):
    """Xu et al. 2018 as methods.md describes it: a small residual MLP on logits."""
    k0, b0, k1, b1, k2, b2, k3, b3 = weights
    relu = lambda x: np.maximum(x, 0)
    h = relu(z @ k0 + b0)
    r = relu(h + (relu(h @ k1 + b1) @ k2 + b2))
    return r @ k3 + b3


def bce_logit(x, target):
    return (np.maximum(x, 0) - x * target + np.log1p(np.exp(-np.abs(x)))).mean()


def ce_rows(scores, target):
    return -log_softmax(scores)[np.arange(len(target)), target].mean()


def adversarial_generator(zs, zt, y, weights, objective, conditional, l1):
    d = discriminator(zs, weights)
    C = zs.shape[1]
    if conditional:
        loss = ce_rows(d[:, C:], np.zeros(len(y), dtype=int)) + ce_rows(d[:, :C], y)
    elif objective == 'lsgan':
        loss = ((d - 1) ** 2).mean()
    else:
        loss = bce_logit(d, 1.0)
    return loss + l1 * np.abs(zs - zt).mean()



def tsd(z, y, K):
    """Yang et al. 2019 as implemented: softmax confidences, true class minus the mean of the K - 1 most confident others."""
    p = softmax(z)
    gaps = []
    for b in range(len(y)):
        others = sorted((p[b, j] for j in range(p.shape[1]) if j != y[b]), reverse=True)[:K - 1]
        gaps.append(p[b, y[b]] - sum(others) / (K - 1))
    return np.mean(gaps)


def irg_edges(f):
    """Squared Euclidean distances between the batch's flattened features, divided by their maximum."""
    x = f.reshape(len(f), -1)
    d = np.array([[((x[i] - x[j]) ** 2).sum() for j in range(len(x))] for i in range(len(x))])
    return d / d.max()


def irg_transformation(f1, f2):
    """Per sample: squared distance between the two layers averaged over positions, divided by the batch maximum."""
    pool = lambda f: f.reshape(len(f), -1, f.shape[-1]).mean(axis=1)
    d = ((pool(f1) - pool(f2)) ** 2).sum(axis=1)
    return d / d.max()


def irg(zt, zs, t1, t2, s1, s2, wv, we, wt):
    vertex = ((zt - zs) ** 2).mean()
    edge = (((irg_edges(t1) - irg_edges(s1)) ** 2).mean() + ((irg_edges(t2) - irg_edges(s2)) ** 2).mean()) / 2
    tran = ((irg_transformation(t1, t2) - irg_transformation(s1, s2)) ** 2).mean()
    return wv * vertex + we * edge + wt * tran


def cc(ft, fs, weights, gamma, P):
    """Peng et al. 2019: linear embeddings, L2-normalised, Taylor-series Gaussian RBF, 1/B^2 squared Frobenius."""
    kt, bt, ks, bs = weights

    def correlation(f, k, b):
        e = f.reshape(len(f), -1) @ k + b
        e = e / np.linalg.norm(e, axis=1, keepdims=True)
        g = e @ e.T
        return sum(np.exp(-2 * gamma) * (2 * gamma) ** p / math.factorial(p) * g ** p for p in range(P + 1))

    B = len(ft)
    return ((correlation(ft, kt, bt) - correlation(fs, ks, bs)) ** 2).sum() / (B * B)


def tensor(x, dtype='float32'):
    return {'shape': list(x.shape), 'dtype': dtype, 'data': np.asarray(x).ravel().tolist()}


cases = []
cases_module = {}


def case(name, loss_id, inputs, params, expected, module=None):
    if module is not None:
        cases_module[name] = [tensor(w) for w in module]
    cases.append({'name': name, 'lossId': loss_id, 'params': params, 'expected': float(expected),
                  'inputs': {k: tensor(v, 'int32' if v.dtype.kind == 'i' else 'float32') for k, v in inputs.items()}})


z_s, z_t = rand(4, 5) * 3, rand(4, 5) * 3
labels = np.array([0, 3, 4, 1], dtype=np.int32)
case('ce', 'ce', {'logits': z_s, 'labels': labels}, {}, cross_entropy(z_s, labels))
for T in (1.0, 4.0, 20.0):
    case(f'kd T={T}', 'kd', {'studentLogits': z_s, 'teacherLogits': z_t}, {'T': T}, kd(z_s, z_t, T))
for a, T in ((0.9, 20.0), (0.8, 2.0)):
    case(f'tfkd a={a} T={T}', 'tfkd', {'logits': z_s, 'labels': labels}, {'a': a, 'T': T}, tfkd(z_s, labels, a, T))

u, r = rand(3, 4, 4, 2), rand(3, 4, 4, 2)
case('fitnet paper', 'fitnet', {'guide': u, 'guided': r}, {'form': 0}, hint(u, r, 'paper'))
case('fitnet mse', 'fitnet', {'guide': u, 'guided': r}, {'form': 1}, hint(u, r, 'mse'))

ft, fs = rand(3, 4, 4, 2), rand(3, 4, 4, 3)
for p in (1, 2, 3):
    case(f'at paper p={p}', 'at', {'guide': ft, 'guided': fs}, {'p': p, 'form': 0}, at(fs, ft, p, 'paper'))
case('at repdistiller', 'at', {'guide': ft, 'guided': fs}, {'p': 2, 'form': 1}, at(fs, ft, 2, 'repdistiller'))
fs_small = rand(3, 2, 3, 3)
case('at resize', 'at', {'guide': ft, 'guided': fs_small}, {'p': 2, 'form': 0, 'resize': 1}, at(fs_small, ft, 2, 'paper'))

t1, t2, s1, s2 = rand(3, 4, 4, 2), rand(3, 4, 4, 3), rand(3, 4, 4, 2), rand(3, 4, 4, 3)
fsp_inputs = {'guide1': t1, 'guide2': t2, 'guided1': s1, 'guided2': s2}
case('fsp paper', 'fsp', fsp_inputs, {'form': 0}, fsp(t1, t2, s1, s2, 'paper'))
case('fsp repdistiller', 'fsp', fsp_inputs, {'form': 1}, fsp(t1, t2, s1, s2, 'repdistiller'))

nt, ns = rand(3, 3, 3, 4, positive=True), rand(3, 3, 3, 2, positive=True)
case('nst linear', 'nst', {'guide': nt, 'guided': ns}, {'kernel': 0}, nst(ns, nt, 'linear'))
case('nst polynomial', 'nst', {'guide': nt, 'guided': ns}, {'kernel': 1}, nst(ns, nt, 'polynomial'))
case('nst polynomial d=3 c=0.5', 'nst', {'guide': nt, 'guided': ns}, {'kernel': 1, 'degree': 3, 'c': 0.5},
     nst(ns, nt, 'polynomial', d=3, c=0.5))
case('nst gaussian', 'nst', {'guide': nt, 'guided': ns}, {'kernel': 2, 'sigma': 0.8}, nst(ns, nt, 'gaussian', sigma=0.8))

et, es = rand(5, 6), rand(5, 2, 2, 3)
case('sp', 'sp', {'guide': et, 'guided': es}, {}, sp(es, et))
case('rkd distance', 'rkd', {'guide': et, 'guided': es}, {'distanceWeight': 1, 'angleWeight': 0}, rkd_distance(es, et))
case('rkd angle', 'rkd', {'guide': et, 'guided': es}, {'distanceWeight': 0, 'angleWeight': 1}, rkd_angle(es, et))
case('rkd default', 'rkd', {'guide': et, 'guided': es}, {}, 25 * rkd_distance(es, et) + 50 * rkd_angle(es, et))
case('pkt paper', 'pkt', {'guide': et, 'guided': es}, {'form': 0}, pkt(es, et, 'paper'))
case('pkt repdistiller', 'pkt', {'guide': et, 'guided': es}, {'form': 1}, pkt(es, et, 'repdistiller'))

for T, alpha, beta in ((4.0, 1.0, 8.0), (1.0, 0.5, 2.0)):
    case(f'dkd T={T} a={alpha} b={beta}', 'dkd', {'studentLogits': z_s, 'teacherLogits': z_t, 'labels': labels},
         {'T': T, 'alpha': alpha, 'beta': beta}, dkd(z_s, z_t, labels, T, alpha, beta))

vt, vs = rand(2, 3, 3, 4), rand(2, 3, 3, 2)
vid_weights = [rand(2, 4), rand(4), rand(4, 4), rand(4), rand(4, 4), rand(4), rand(4)]
case('vid paper', 'vid', {'guide': vt, 'guided': vs}, {'form': 0}, vid(vt, vs, vid_weights, 'paper'), module=vid_weights)
case('vid repdistiller', 'vid', {'guide': vt, 'guided': vs}, {'form': 1}, vid(vt, vs, vid_weights, 'repdistiller'), module=vid_weights)
hidden = 6
for name, objective, conditional, l1 in (('bce', 'bce', False, 0.0), ('lsgan', 'lsgan', False, 0.0), ('conditional l1', 'bce', True, 0.5)):
    outputs = 5 + 2 if conditional else 1
    d_weights = [rand(5, hidden), rand(hidden), rand(hidden, hidden), rand(hidden), rand(hidden, hidden), rand(hidden), rand(hidden, outputs), rand(outputs)]
    params = {'objective': 1 if objective == 'lsgan' else 0, 'conditional': 1 if conditional else 0, 'l1': l1, 'hidden': hidden}
    case(f'adversarial generator {name}', 'adversarial', {'studentLogits': z_s, 'teacherLogits': z_t, 'labels': labels}, params,
         adversarial_generator(z_s, z_t, labels, d_weights, objective, conditional, l1), module=d_weights)

# TSD, IRG and CC (added later: every rand() below comes after all earlier ones, so their values do not move).
for K in (2, 3, 5):
    case(f'tsd K={K}', 'tsd', {'logits': z_s, 'labels': labels}, {'K': K}, tsd(z_s, labels, K))

it1, it2, is1, is2 = rand(5, 3, 3, 2), rand(5, 2, 2, 2), rand(5, 4), rand(5, 2, 2, 4)
iz_t, iz_s = rand(5, 4) * 3, rand(5, 4) * 3
irg_inputs = {'teacherLogits': iz_t, 'studentLogits': iz_s, 'guide1': it1, 'guide2': it2, 'guided1': is1, 'guided2': is2}
for name, wv, we, wt in (('vertex', 1.0, 0.0, 0.0), ('edge', 0.0, 1.0, 0.0), ('transformation', 0.0, 0.0, 1.0), ('default', 0.1, 5.0, 5.0)):
    case(f'irg {name}', 'irg', irg_inputs, {'vertexWeight': wv, 'edgeWeight': we, 'transformWeight': wt},
         irg(iz_t, iz_s, it1, it2, is1, is2, wv, we, wt))

ct, cs = rand(5, 6), rand(5, 2, 2, 3)
cc_weights = [rand(6, 3), rand(3), rand(12, 3), rand(3)]
for gamma, P in ((0.4, 2), (0.8, 4)):
    case(f'cc gamma={gamma} P={P}', 'cc', {'guide': ct, 'guided': cs}, {'dim': 3, 'gamma': gamma, 'P': P},
         cc(ct, cs, cc_weights, gamma, P), module=cc_weights)

# FT and CRD pieces (added later, after every earlier rand()): their modules hold more than variables
# (a pre-trained paraphraser; memory banks and sampled negatives), so the tests check the math on
# given factors and given memories.
pieces = []


def l2rows(x):
    return x / np.sqrt((x ** 2).sum(axis=1, keepdims=True))


def ft(fs, ft_, form):
    if form == 'repdistiller':
        fs, ft_ = (fs ** 2).mean(axis=-1), (ft_ ** 2).mean(axis=-1)
    s, t = l2rows(fs.reshape(len(fs), -1)), l2rows(ft_.reshape(len(ft_), -1))
    d = np.abs(t - s)
    return d.sum(axis=1).mean() if form == 'paper' else d.mean()


def crd(v_s, v_t, mem_s, mem_t, contrast, T):
    n = len(mem_s)
    k = contrast.shape[1] - 1

    def nce(anchors, memory):
        scores = np.exp(np.einsum('bkd,bd->bk', memory[contrast], anchors) / T)
        h = scores / (scores.mean() * n)
        noise = k / n
        return -(np.log(h[:, 0] / (h[:, 0] + noise + 1e-7)).sum() + np.log(noise / (h[:, 1:] + noise + 1e-7)).sum()) / len(anchors)
    return nce(v_s, mem_t) + nce(v_t, mem_s)


fs_, ft_ = rand(3, 2, 2, 4), rand(3, 2, 2, 4)
for form in ('paper', 'repdistiller'):
    pieces.append({'name': f'ft {form}', 'form': form, 'studentFactor': tensor(fs_), 'teacherFactor': tensor(ft_), 'expected': float(ft(fs_, ft_, form))})
v_s, v_t, mem_s, mem_t = l2rows(rand(4, 3)), l2rows(rand(4, 3)), rand(6, 3), rand(6, 3)
contrast = np.array([[1, 0, 3, 5], [4, 2, 2, 0], [0, 5, 1, 3], [5, 4, 0, 1]])
pieces.append({'name': 'crd both directions', 'temperature': 0.5, 'studentEmbedding': tensor(v_s), 'teacherEmbedding': tensor(v_t),
               'studentMemory': tensor(mem_s), 'teacherMemory': tensor(mem_t), 'contrast': tensor(contrast, 'int32'),
               'expected': float(crd(v_s, v_t, mem_s, mem_t, contrast, 0.5))})

for c in cases:
    if c['name'] in cases_module:
        c['module'] = cases_module[c['name']]

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden.json')
with open(out, 'w') as f:
    json.dump({'generator': 'src/losses/golden/make_golden.py', 'cases': cases, 'pieces': pieces}, f, indent=1)
print(f'wrote {len(cases)} cases to {out}')
