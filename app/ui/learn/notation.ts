/**
 * The lesson's notation, one set for every step (as in spec §3.2, with stages counted from 1):
 * stages i = 1…5 end at the feature maps C1…C5; r_i is stage i's weight, C_i its output channels,
 * n_i the inner blocks from the stem to its end, S_i its unweighted sum; ℓ_j is the log-std gain
 * of inner block j (j = 1 the stem), with input channels c_j, bottleneck b_j and kernel k_j.
 */
export const SCORE_TEX = String.raw`\text{score} = \sum_{i=1}^{5} r_i\,S_i`;
export const STAGE_SUM_TEX = String.raw`S_i = \sum_{j=1}^{n_i} \ell_j + \ln C_i`;
export const BLOCK_TERM_TEX = String.raw`\ell_j = \ln\sqrt{c_j} + \ln\sqrt{b_j k_j^2} + \ln\sqrt{b_j}`;
export const STEM_TERM_TEX = String.raw`\ell_1 = \ln\sqrt{3\,k_1^2}`;
