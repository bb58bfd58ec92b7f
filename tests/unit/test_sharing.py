"""Sharing categories, attribution summaries and matched random masks against hand computations."""

import numpy as np
import pytest
import torch

from neuron_utils.core.anatomy import resolve
from neuron_utils.core.attribution import output_weight_norms
from neuron_utils.methods import sharing
from neuron_utils.methods.sharing import ALL, NONE, PARTIAL, SPECIFIC

from ..helpers import SENTENCES, tiny_model
from ..tolerances import TINY_FP32


def test_categories_of_a_hand_made_table():
    # 2 items x 3 languages x 5 neurons; 0.0 is not active at threshold 0 (strictly above)
    acts = np.array(
        [
            [[1.0, 0.5, 0.0, -1.0, 2.0], [1.0, -0.5, 0.0, -1.0, 0.0], [1.0, 0.5, 0.0, -2.0, 0.0]],
            [[0.2, 0.1, 0.3, 0.0, -1.0], [0.0, 0.1, 0.3, 0.0, -1.0], [0.0, 0.1, -0.3, 0.0, 1e-9]],
        ]
    )
    np.testing.assert_array_equal(sharing.active_counts(acts), [[3, 2, 0, 0, 1], [1, 3, 2, 0, 1]])
    np.testing.assert_array_equal(
        sharing.categories(acts),
        [[ALL, PARTIAL, NONE, NONE, SPECIFIC], [SPECIFIC, ALL, PARTIAL, NONE, SPECIFIC]],
    )
    # at threshold 0.2: 0.2 itself is not above, 0.3 is; 1e-9 no longer counts
    np.testing.assert_array_equal(
        sharing.categories(acts, 0.2),
        [[ALL, PARTIAL, NONE, NONE, SPECIFIC], [NONE, NONE, PARTIAL, NONE, NONE]],
    )
    # a negative threshold makes 0.0 active
    assert sharing.categories(acts, -0.1)[0, 2] == ALL
    shares = sharing.category_shares(sharing.categories(acts)[:, None, :])  # one layer
    np.testing.assert_allclose(shares[:, :, 0], [[0.2, 0.2, 0.2, 0.4], [0.2, 0.2, 0.4, 0.2]])
    # neuron 3 is non-activated in both items and neuron 4 specific in both
    np.testing.assert_array_equal(
        sharing.stable_counts(sharing.categories(acts)[:, None, :]), [0, 0, 1, 1]
    )


def test_two_languages_have_no_partial_share_and_one_is_refused():
    codes = sharing.categorise(np.array([0, 1, 2]), 2)
    np.testing.assert_array_equal(codes, [NONE, SPECIFIC, ALL])
    with pytest.raises(ValueError, match="at least 2 languages"):
        sharing.categorise(np.array([0, 1]), 1)
    with pytest.raises(ValueError, match=r"0\.\.3"):
        sharing.categorise(np.array([4]), 3)
    with pytest.raises(ValueError, match="items, languages"):
        sharing.active_counts(np.zeros((3, 4)))


def test_top_k_shares_and_means_by_category():
    scores = np.array([[[5.0, 1.0, 4.0, 0.5, 3.0, 2.0]]])  # 1 row, 1 layer, 6 neurons
    codes = np.array([[[ALL, ALL, SPECIFIC, NONE, PARTIAL, NONE]]])
    top = sharing.top_k_mask(scores, 3)
    np.testing.assert_array_equal(top[0, 0], [True, False, True, False, True, False])
    np.testing.assert_allclose(sharing.shares_among(top, codes)[0, :, 0], [1 / 3, 1 / 3, 1 / 3, 0])
    np.testing.assert_allclose(
        sharing.mean_by_category(scores, codes)[0, :, 0], [3.0, 3.0, 4.0, 1.25]
    )
    empty = sharing.mean_by_category(scores, np.full_like(codes, ALL))
    assert np.isnan(empty[0, SPECIFIC, 0])
    # ties go to the earlier position, as NeuronSet.top_n
    np.testing.assert_array_equal(sharing.top_k_mask(np.ones((1, 4)), 2), [[1, 1, 0, 0]])
    with pytest.raises(ValueError, match="k=7"):
        sharing.top_k_mask(scores, 7)


def test_random_matched_masks_match_counts_and_avoid_the_mask():
    rng = np.random.default_rng(3)
    masks = rng.random((5, 4, 50)) < 0.2
    masks[0, 0] = True  # a full layer: nothing outside, the draw falls back inside
    masks[1, 1, :45] = True  # 45 asked, 5 outside
    drawn = sharing.random_matched_masks(masks, seed=0)
    np.testing.assert_array_equal(drawn.sum(-1), masks.sum(-1))
    overlap = (drawn & masks).sum(-1)
    outside = (~masks).sum(-1)
    # as few inside as the room outside allows
    np.testing.assert_array_equal(overlap, np.maximum(masks.sum(-1) - outside, 0))
    assert not np.array_equal(drawn, sharing.random_matched_masks(masks, seed=1))
    np.testing.assert_array_equal(drawn, sharing.random_matched_masks(masks, seed=0))


@pytest.mark.parametrize("arch", ["gemma3", "llama", "gpt2"])
def test_contributions_sum_with_signs_to_the_mlp_output(arch):
    """a_i W_out[:, i] summed over neurons is the MLP's output (bias-free down projections; GPT-2
    adds its bias), and the contribution score is each vector's length."""
    model = tiny_model(arch)
    layer = model.layers[1]
    down = resolve(layer, model.anatomy.down_proj)
    mlp = resolve(layer, model.anatomy.down_proj.rsplit(".", 1)[0])
    seen = {}
    hooks = [
        down.register_forward_pre_hook(lambda m, args: seen.__setitem__("a", args[0])),
        mlp.register_forward_hook(lambda m, args, out: seen.__setitem__("out", out)),
    ]
    enc = model.tokenizer([SENTENCES[0]], return_tensors="pt")
    with torch.no_grad():
        model.model(**enc)
    for hook in hooks:
        hook.remove()
    a = seen["a"][0, -1].double()  # [N] at the last token
    weight = down.weight.double()
    columns = weight.T if isinstance(down, torch.nn.Linear) else weight  # [N, d]
    vectors = a[:, None] * columns  # [N, d]: what each neuron adds
    expected = seen["out"][0, -1].double()
    if getattr(down, "bias", None) is not None:
        expected = expected - down.bias.double()
    # a sum of 24 fp32 products recomputed in fp64: within the fp32 rounding of the terms
    scale = vectors.abs().sum(0).max().item()
    np.testing.assert_allclose(vectors.sum(0), expected, rtol=0, atol=TINY_FP32 * scale)
    norms = output_weight_norms(model)[1]
    scores = sharing.contribution_scores(a.numpy()[None], norms[None])[0]
    np.testing.assert_allclose(scores, vectors.norm(dim=1).numpy(), rtol=1e-6, atol=0)


def test_binned_random_masks_match_the_mask_per_bin_and_stay_outside_it():
    rng = np.random.default_rng(3)
    rate, magnitude = rng.random((2, 3, 400))  # [L, N] each
    bins = sharing.firing_matched_bins(rate, magnitude, n_bins=4)
    assert bins.min() == 0 and bins.max() == 15
    # a mask that favours frequent, large neurons (as all-shared sets do)
    masks = rng.random((5, 3, 400)) < 0.02 + 0.4 * ((rate > 0.6) & (magnitude > 0.4))
    drawn = sharing.random_binned_masks(masks, bins, seed=1)
    for b in range(16):
        in_bin = bins[None] == b
        np.testing.assert_array_equal((drawn & in_bin).sum(-1), (masks & in_bin).sum(-1))
    # neurons of the mask are drawn only where a bin has too few outside it, and only as many
    # as are missing
    for b in range(16):
        in_bin = bins[None] == b
        need, outside = (masks & in_bin).sum(-1), (~masks & in_bin).sum(-1)
        np.testing.assert_array_equal(
            (drawn & masks & in_bin).sum(-1), np.maximum(0, need - outside)
        )
    assert (drawn & masks).sum() < 0.05 * masks.sum()
    # the firing rate and magnitude of the draw are the mask's, within the bins' width: the
    # quartile bins of 400 uniform values are ~0.25 wide, so means agree to well within 0.1
    for values in (rate, magnitude):
        chosen = [values[None].repeat(5, 0)[m].mean() for m in (masks, drawn)]
        uniform = sharing.random_matched_masks(masks, seed=1)
        assert abs(chosen[0] - chosen[1]) < 0.05
        # ... while a draw from every other neuron misses by far more
        assert chosen[0] - values[None].repeat(5, 0)[uniform].mean() > 0.1
    # different seeds draw differently; the same seed the same
    assert not np.array_equal(drawn, sharing.random_binned_masks(masks, bins, seed=2))
    np.testing.assert_array_equal(drawn, sharing.random_binned_masks(masks, bins, seed=1))


def test_binned_draws_take_from_the_mask_only_where_a_bin_runs_out():
    bins = np.array([[0, 0, 0, 1, 1, 1]])
    masks = np.array([[[True, True, False, True, False, False]]])  # bin 0: 2 of 3 in the mask
    drawn = sharing.random_binned_masks(masks, bins, seed=0)
    assert drawn[0, 0, 2] and drawn[0, 0, 3:].sum() == 1 and not drawn[0, 0, 3]
    assert drawn[0, 0, :3].sum() == 2  # one from outside, the other from the mask itself
    with pytest.raises(ValueError, match="bins has shape"):
        sharing.random_binned_masks(masks, np.zeros((2, 6), int), seed=0)
