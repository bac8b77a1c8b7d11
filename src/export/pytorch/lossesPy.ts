import { getLoss } from '../../losses/registry';
import type { LossTermPlan, TrainingPlan } from '../../train/plan';
import { PyTorchExportError } from './pySource';

/**
 * losses.py: the studio's loss functions (src/losses/logits.ts, features.ts; docs/methods.md) in
 * PyTorch, on NCHW maps. Each takes the term's inputs by port name and its resolved params, and
 * returns the unweighted batch mean. The tests compare them with the studio's on the same weights
 * and batch. A loss that is not here stops the export with its name (never a silent omission).
 */

const LOSSES_PY = `"""The experiment's loss functions, written from the studio's definitions (docs/methods.md).

Feature maps are NCHW. Every function returns the unweighted batch mean; train.py applies weights.
"""
import torch
import torch.nn.functional as F

NORM_EPSILON = 1e-12


def safe_norm(x, dim):
    """sqrt(sum x^2), floored at NORM_EPSILON so its gradient stays finite at zero."""
    return torch.sqrt(torch.clamp(x.pow(2).sum(dim), min=NORM_EPSILON * NORM_EPSILON))


def l2_normalize(x, dim):
    """x / ||x||; a vector of norm <= NORM_EPSILON maps to zero with zero gradient (unlike F.normalize)."""
    squared = x.pow(2).sum(dim, keepdim=True)
    non_zero = (squared > NORM_EPSILON * NORM_EPSILON).to(x.dtype)
    safe = squared * non_zero + (1 - non_zero)
    return x / torch.sqrt(safe) * non_zero


def cross_entropy(inputs, params):
    return F.cross_entropy(inputs["logits"], inputs["labels"])


def kd(inputs, params):
    """Hinton et al. 2015: T^2 KL(softmax(z_t / T) || softmax(z_s / T)), batch mean."""
    T = params["T"]
    log_teacher = F.log_softmax(inputs["teacherLogits"] / T, dim=1)
    log_student = F.log_softmax(inputs["studentLogits"] / T, dim=1)
    kl = (log_teacher.exp() * (log_teacher - log_student)).sum(1).mean()
    return kl * T * T


def virtual_teacher(labels, classes, a):
    rest = (1 - a) / (classes - 1)
    return F.one_hot(labels, classes).float() * (a - rest) + rest


def tfkd(inputs, params):
    """Tf-KD_reg (Yuan et al. 2020): KD against the virtual teacher used as teacher logits."""
    logits = inputs["logits"]
    teacher = virtual_teacher(inputs["labels"], logits.shape[1], params["a"])
    return kd({"teacherLogits": teacher, "studentLogits": logits}, {"T": params["T"]})


MASKED_LOGIT_SHIFT = 1000.0


def dkd(inputs, params):
    """Decoupled KD (Zhao et al. 2022): T^2 (alpha TCKD + beta NCKD), batch mean."""
    T, alpha, beta = params["T"], params["alpha"], params["beta"]
    student, teacher = inputs["studentLogits"], inputs["teacherLogits"]
    mask = F.one_hot(inputs["labels"], student.shape[1]).to(student.dtype)

    def parts(logits):
        log_p = F.log_softmax(logits / T, dim=1)
        log_target = (log_p * mask).sum(1)
        log_others = torch.logsumexp(log_p - mask * MASKED_LOGIT_SHIFT, dim=1)
        log_non_target = F.log_softmax(logits / T - mask * MASKED_LOGIT_SHIFT, dim=1)
        return log_target, log_others, log_non_target

    def kl_term(log_q, log_r):
        return log_q.exp() * (log_q - log_r)

    t_target, t_others, t_non = parts(teacher)
    s_target, s_others, s_non = parts(student)
    tckd = kl_term(t_target, s_target) + kl_term(t_others, s_others)
    nckd = kl_term(t_non, s_non).sum(1)
    return (tckd * alpha + nckd * beta).mean() * T * T


def tsd(inputs, params):
    """Top score difference (Yang et al. 2019): p(true) minus the mean of the K - 1 most confident others."""
    logits, labels, K = inputs["logits"], inputs["labels"], int(params["K"])
    p = F.softmax(logits, dim=1)
    truth = F.one_hot(labels, logits.shape[1]).to(p.dtype)
    primary = (p * truth).sum(1)
    # The selection is a constant (zero gradient), as in the studio.
    index = torch.topk((p - truth * 2).detach(), K - 1, dim=1).indices
    chosen = torch.zeros_like(p).scatter(1, index, 1.0)
    return (primary - (p * chosen).sum(1) / (K - 1)).mean()


def fitnet(inputs, params):
    """Romero et al. 2015: 'paper' 1/2 ||u_t - r(v_s)||^2 per sample, batch mean; 'mse' the elementwise mean."""
    squared = (inputs["guide"] - inputs["guided"]).pow(2)
    if params["form"] == "mse":
        return squared.mean()
    return squared.flatten(1).sum(1).mean() * 0.5


def attention_sum(feature, p):
    """Q(F) = sum_k |F_k|^p over channels: [B, H, W]."""
    return (feature.pow(2) if p == 2 else feature.abs().pow(p)).sum(1)


def attention(inputs, params):
    """Zagoruyko & Komodakis 2017 ('paper': 1/(2HW) mean_b ||Q_s/|Q_s| - Q_t/|Q_t| ||_2; 'repdistiller': mean squared)."""
    student, teacher, p = inputs["guided"], inputs["guide"], params["p"]
    size = (max(student.shape[2], teacher.shape[2]), max(student.shape[3], teacher.shape[3]))

    def flat(feature):
        sums = attention_sum(feature, p)
        if tuple(sums.shape[1:]) != size:
            if params["resize"] != "bilinear":
                raise ValueError("attention transfer needs equal spatial sizes or resize 'bilinear'")
            sums = F.interpolate(sums.unsqueeze(1), size=size, mode="bilinear", align_corners=True).squeeze(1)
        return l2_normalize(sums.flatten(1), 1)

    difference = flat(student) - flat(teacher)
    if params["form"] == "repdistiller":
        return difference.pow(2).mean()
    return safe_norm(difference, 1).mean() / (2 * size[0] * size[1])


def fsp_matrix(first, second):
    """Yim et al. 2017: G = F1 F2^T / (h w) per sample: [B, m, n]."""
    batch, m, h, w = first.shape
    a = first.reshape(batch, m, h * w)
    b = second.reshape(batch, second.shape[1], h * w)
    return torch.bmm(a, b.transpose(1, 2)) / (h * w)


def fsp(inputs, params):
    gt = fsp_matrix(inputs["guide1"], inputs["guide2"])
    gs = fsp_matrix(inputs["guided1"], inputs["guided2"])
    squared = (gt - gs).pow(2)
    if params["form"] == "repdistiller":
        return squared.mean()
    return squared.sum((1, 2)).mean()


def channel_vectors(feature):
    """Each channel as one sample over positions, L2-normalised: [B, C, H*W]."""
    return l2_normalize(feature.flatten(2), 2)


def mean_kernel(x, y, params):
    dots = torch.bmm(x, y.transpose(1, 2))
    if params["kernel"] == "linear":
        values = dots
    elif params["kernel"] == "polynomial":
        values = (dots + params["c"]).pow(params["degree"])
    else:
        xx = x.pow(2).sum(2, keepdim=True)
        yy = y.pow(2).sum(2, keepdim=True).transpose(1, 2)
        distance = F.relu(xx + yy - dots * 2)
        values = torch.exp(distance / (-2 * params["sigma"] ** 2))
    return values.mean((1, 2))


def nst(inputs, params):
    """Huang & Wang 2017: squared MMD between normalised channel vectors, batch mean."""
    s, t = channel_vectors(inputs["guided"]), channel_vectors(inputs["guide"])
    return (mean_kernel(t, t, params) + mean_kernel(s, s, params) - 2 * mean_kernel(t, s, params)).mean()


LOSSES = {
    "ce": cross_entropy,
    "kd": kd,
    "tfkd": tfkd,
    "dkd": dkd,
    "tsd": tsd,
    "fitnet": fitnet,
    "at": attention,
    "fsp": fsp,
    "nst": nst,
}
`;

/** Loss ids losses.py implements. */
export const PYTORCH_LOSSES: readonly string[] = ['ce', 'kd', 'tfkd', 'dkd', 'tsd', 'fitnet', 'at', 'fsp', 'nst'];

export function lossesPy(): string {
  return LOSSES_PY;
}

/**
 * The term's params as losses.py reads them: every registry param present (its default when the
 * block leaves it out), choices as their names.
 */
export function pythonParams(term: LossTermPlan): Record<string, number | string> {
  const definition = getLoss(term.lossId);
  const resolved: Record<string, number | string> = {};
  for (const param of definition.params) {
    const value = term.params[param.key] ?? param.default;
    if (param.choices === undefined) {
      resolved[param.key] = value;
      continue;
    }
    const choice = param.choices[value];
    if (choice === undefined) throw new PyTorchExportError(`The loss '${term.label}' has ${param.key} = ${value}, which is not one of its choices (${param.choices.join(', ')}).`);
    resolved[param.key] = choice;
  }
  return resolved;
}

/** Throws naming every loss of the plan that losses.py does not implement. */
export function checkLossesSupported(plan: TrainingPlan): void {
  const missing = new Map<string, string>();
  for (const phase of plan.phases) {
    for (const stage of phase.stages) {
      for (const { term } of stage.terms) {
        if (!PYTORCH_LOSSES.includes(term.lossId)) missing.set(term.lossId, `${getLoss(term.lossId).label} ('${term.label}')`);
      }
    }
  }
  if (missing.size > 0) {
    throw new PyTorchExportError(`The PyTorch export does not support these losses yet: ${[...missing.values()].join(', ')}. ` +
      `It supports ${PYTORCH_LOSSES.join(', ')}.`);
  }
}
