"""Optimisers against their formulas written out by hand, and against torch.optim in float64."""

from __future__ import annotations

import re

import numpy as np
import pytest

from rnnbook import optim, rnn

FIELDS = ("W_xh", "W_hh", "b_h")


def arrays(p: rnn.Params) -> list[np.ndarray]:
    return [getattr(p, n) for n in FIELDS]


def random_params(rng: np.random.Generator, H: int = 3, D: int = 2) -> rnn.Params:
    return rnn.Params(rng.normal(size=(H, D)), rng.normal(size=(H, H)), rng.normal(size=H))


def assert_params_close(got: rnn.Params, expected: list[np.ndarray], rtol: float) -> None:
    for name, g, e in zip(FIELDS, arrays(got), expected, strict=True):
        np.testing.assert_allclose(g, e, rtol=rtol, atol=rtol, err_msg=name)


def test_sgd_without_momentum_is_theta_minus_lr_times_g() -> None:
    rng = np.random.default_rng(0)
    p, g = random_params(rng), random_params(rng)
    opt = optim.SGD(lr=0.1)
    new, _ = opt.update(p, g, opt.init(p))
    for name, a, theta, grad in zip(FIELDS, arrays(new), arrays(p), arrays(g), strict=True):
        assert np.array_equal(a, theta - 0.1 * grad), name


def test_sgd_momentum_matches_two_steps_by_hand() -> None:
    rng = np.random.default_rng(1)
    p, g1, g2 = random_params(rng), random_params(rng), random_params(rng)
    lr, mu = 0.1, 0.9
    opt = optim.SGD(lr=lr, momentum=mu)
    state = opt.init(p)
    p1, state = opt.update(p, g1, state)
    p2, _ = opt.update(p1, g2, state)
    # v1 = g1, theta1 = theta0 - lr g1; v2 = mu g1 + g2, theta2 = theta1 - lr (mu g1 + g2)
    expected = [t - lr * a - lr * (mu * a + b)
                for t, a, b in zip(arrays(p), arrays(g1), arrays(g2), strict=True)]
    assert_params_close(p2, expected, rtol=1e-15)


def test_adagrad_matches_its_formula_over_three_steps() -> None:
    rng = np.random.default_rng(2)
    p, gs = random_params(rng), [random_params(rng) for _ in range(3)]
    lr, eps = 0.5, 1e-8
    opt = optim.Adagrad(lr=lr, eps=eps)
    state, new = opt.init(p), p
    theta, G = [a.copy() for a in arrays(p)], [0.0, 0.0, 0.0]
    for g in gs:
        new, state = opt.update(new, g, state)
        for i, gi in enumerate(arrays(g)):
            G[i] = G[i] + gi**2
            theta[i] = theta[i] - lr * gi / (np.sqrt(G[i]) + eps)
    assert_params_close(new, theta, rtol=1e-14)


def test_adam_matches_its_formula_over_three_steps() -> None:
    rng = np.random.default_rng(3)
    p, gs = random_params(rng), [random_params(rng) for _ in range(3)]
    lr, b1, b2, eps = 0.01, 0.8, 0.95, 1e-8
    opt = optim.Adam(lr=lr, beta1=b1, beta2=b2, eps=eps)
    state, new = opt.init(p), p
    theta, m, v = [a.copy() for a in arrays(p)], [0.0] * 3, [0.0] * 3
    for t, g in enumerate(gs, start=1):
        new, state = opt.update(new, g, state)
        for i, gi in enumerate(arrays(g)):
            m[i] = b1 * m[i] + (1 - b1) * gi
            v[i] = b2 * v[i] + (1 - b2) * gi**2
            m_hat, v_hat = m[i] / (1 - b1**t), v[i] / (1 - b2**t)
            theta[i] = theta[i] - lr * m_hat / (np.sqrt(v_hat) + eps)
    assert state.step == 3
    assert_params_close(new, theta, rtol=1e-14)


def test_first_adam_step_is_lr_times_g_over_abs_g() -> None:
    # Bias correction makes the first step lr * g / (|g| + eps), about lr * sign(g): the size of
    # the gradient cancels.
    rng = np.random.default_rng(4)
    p, g = random_params(rng), random_params(rng)
    opt = optim.Adam(lr=0.01)
    new, _ = opt.update(p, g, opt.init(p))
    for a, theta, grad in zip(arrays(new), arrays(p), arrays(g), strict=True):
        np.testing.assert_allclose(theta - a, 0.01 * grad / (np.abs(grad) + 1e-8), rtol=1e-12)


@pytest.mark.parametrize("opt", [optim.SGD(lr=0.1, momentum=0.9), optim.Adagrad(lr=0.1),
                                 optim.Adam(lr=0.1)], ids=["sgd", "adagrad", "adam"])
def test_update_does_not_mutate_its_inputs(opt) -> None:
    rng = np.random.default_rng(5)
    p, g = random_params(rng), random_params(rng)
    _, state = opt.update(p, g, opt.init(p))          # a state with non-zero moments
    copies = [[a.copy() for a in arrays(x)] for x in (p, g)]
    state_copy = [[a.copy() for a in arrays(x)] for x in state if isinstance(x, rnn.Params)]
    opt.update(p, g, state)
    for x, saved in zip((p, g), copies, strict=True):
        for a, b in zip(arrays(x), saved, strict=True):
            assert np.array_equal(a, b)
    for x, saved in zip([x for x in state if isinstance(x, rnn.Params)], state_copy,
                        strict=True):
        for a, b in zip(arrays(x), saved, strict=True):
            assert np.array_equal(a, b)


@pytest.mark.parametrize(("opt", "steps"), [
    (optim.SGD(lr=0.1), 200),
    (optim.SGD(lr=0.05, momentum=0.9), 200),
    (optim.Adagrad(lr=0.5), 300),
    (optim.Adam(lr=0.05), 500),
], ids=["sgd", "sgd-momentum", "adagrad", "adam"])
def test_optimisers_minimise_a_quadratic(opt, steps: int) -> None:
    # L = 1/2 sum a (theta - c)^2 with curvatures a in [0.5, 2]: minimum 0 at theta = c.
    rng = np.random.default_rng(6)
    a = rnn.Params(*(rng.uniform(0.5, 2.0, x.shape) for x in arrays(random_params(rng))))
    c, p = random_params(rng), random_params(rng)

    def loss_and_grad(q: rnn.Params) -> tuple[float, rnn.Params]:
        diffs = [x - y for x, y in zip(arrays(q), arrays(c), strict=True)]
        loss = 0.5 * sum(float(np.sum(ai * d**2)) for ai, d in zip(arrays(a), diffs, strict=True))
        return loss, rnn.Params(*(ai * d for ai, d in zip(arrays(a), diffs, strict=True)))

    initial, _ = loss_and_grad(p)
    state = opt.init(p)
    for _ in range(steps):
        _, g = loss_and_grad(p)
        p, state = opt.update(p, g, state)
    final, _ = loss_and_grad(p)
    assert initial > 1.0
    assert final < 1e-4 * initial


TORCH_CASES = [
    pytest.param(lambda: optim.Adam(lr=0.01, beta1=0.8, beta2=0.95, eps=1e-8),
                 lambda torch, ps: torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.95), eps=1e-8),
                 id="adam"),
    pytest.param(lambda: optim.SGD(lr=0.1, momentum=0.9),
                 lambda torch, ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9), id="sgd-momentum"),
    pytest.param(lambda: optim.Adagrad(lr=0.1, eps=1e-10),
                 lambda torch, ps: torch.optim.Adagrad(ps, lr=0.1, eps=1e-10), id="adagrad"),
]


@pytest.mark.torch
@pytest.mark.parametrize(("ours", "theirs"), TORCH_CASES)
def test_optimiser_matches_torch_optim_over_5_steps(torch, ours, theirs) -> None:
    rng = np.random.default_rng(7)
    p = random_params(rng)
    gs = [random_params(rng) for _ in range(5)]
    tensors = [torch.tensor(a, requires_grad=True) for a in arrays(p)]   # float64
    torch_opt = theirs(torch, tensors)
    opt = ours()
    state = opt.init(p)
    for g in gs:
        p, state = opt.update(p, g, state)
        for tensor, gi in zip(tensors, arrays(g), strict=True):
            tensor.grad = torch.tensor(gi)
        torch_opt.step()
    for name, a, tensor in zip(FIELDS, arrays(p), tensors, strict=True):
        np.testing.assert_allclose(a, tensor.detach().numpy(), rtol=1e-12, atol=1e-12,
                                   err_msg=name)


BAD_HYPERPARAMETERS = [
    pytest.param(lambda: optim.SGD(lr=0.0), "lr", "got 0.0", id="sgd-lr-0"),
    pytest.param(lambda: optim.SGD(lr=-1.0), "lr", "got -1.0", id="sgd-lr-negative"),
    pytest.param(lambda: optim.SGD(lr=0.1, momentum=1.0), "momentum", "[0, 1); got 1.0",
                 id="sgd-momentum-1"),
    pytest.param(lambda: optim.SGD(lr=0.1, momentum=-0.5), "momentum", "got -0.5",
                 id="sgd-momentum-negative"),
    pytest.param(lambda: optim.Adagrad(lr=0), "lr", "got 0", id="adagrad-lr-0"),
    pytest.param(lambda: optim.Adagrad(lr=0.1, eps=0.0), "eps", "got 0.0", id="adagrad-eps-0"),
    pytest.param(lambda: optim.Adam(lr=0.0), "lr", "got 0.0", id="adam-lr-0"),
    pytest.param(lambda: optim.Adam(beta1=1.0), "beta1", "[0, 1); got 1.0", id="adam-beta1-1"),
    pytest.param(lambda: optim.Adam(beta2=1.5), "beta2", "[0, 1); got 1.5", id="adam-beta2-1.5"),
    pytest.param(lambda: optim.Adam(lr=float("nan")), "lr", "got nan", id="adam-lr-nan"),
]


@pytest.mark.parametrize(("make", "name", "received"), BAD_HYPERPARAMETERS)
def test_bad_hyperparameters_raise_naming_the_argument(make, name: str, received: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(name) + " must") as info:
        make()
    assert received in str(info.value)


@pytest.mark.parametrize("opt", [optim.SGD(lr=0.1), optim.Adagrad(lr=0.1), optim.Adam()],
                         ids=["sgd", "adagrad", "adam"])
def test_grads_of_the_wrong_type_or_shape_raise_naming_grads(opt) -> None:
    rng = np.random.default_rng(8)
    p = random_params(rng, H=3)
    state = opt.init(p)
    with pytest.raises(TypeError, match=r"^grads must be a parameter container.*got dict"):
        opt.update(p, {"W_xh": p.W_xh}, state)
    with pytest.raises(ValueError, match=re.escape("grads.W_xh must have the shape of "
                                                   "params.W_xh, (3, 2); got (4, 2)")):
        opt.update(p, random_params(rng, H=4), state)


@pytest.mark.parametrize("opt", [optim.SGD(lr=0.1, momentum=0.5), optim.Adagrad(lr=0.1),
                                 optim.Adam()], ids=["sgd", "adagrad", "adam"])
def test_a_state_for_other_params_is_refused_naming_state(opt) -> None:
    rng = np.random.default_rng(9)
    small, big = random_params(rng, H=1), random_params(rng, H=3)
    with pytest.raises(ValueError, match=r"^state\.\w+\.W_xh must have the shape of "
                                         r"params\.W_xh, \(3, 2\); got \(1, 2\)"):
        opt.update(big, random_params(rng, H=3), opt.init(small))
    other = optim.SGD(lr=0.1) if not isinstance(opt, optim.SGD) else optim.Adam()
    with pytest.raises(TypeError, match=r"^state must be"):
        opt.update(big, random_params(rng, H=3), other.init(big))
