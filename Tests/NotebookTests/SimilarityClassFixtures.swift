import Foundation
@testable import Notebook

/// Correct answers to exercises 02 (NT-Xent) and 11 (VICReg) written independently, as
/// different learners would: different decomposition, builtins, loops or vectorised code.
/// Each is cell id → code. `SimilarityEvaluationTests` grades them (full marks) and
/// requires that no two of them, nor any of them with the reference, a wrong solution or
/// the starter, is flagged.
enum SimilarityClassFixtures {
    static let ntXent: [String: [String: String]] = [
        // Everything in one 2n × 2n matrix, and the builtin cross-entropy.
        "ana": [
            "similarities": """
            fn similarities(z1, z2, temperature) {
                return normalize(z1) @ normalize(z2).T / temperature
            }
            """,
            "loss": """
            fn nt_xent_loss(z1, z2, temperature = 0.5) {
                n = rows(z1)
                z = cat([normalize(z1), normalize(z2)])
                logits = masked_fill(z @ z.T / temperature, eye(2 * n), -1e9)
                targets = []
                for i in range(n) { targets = targets + [i + n] }
                for i in range(n) { targets = targets + [i] }
                return cross_entropy(logits, targets)
            }
            """,
        ],
        // Loops over the anchors, one denominator at a time.
        "ben": [
            "similarities": """
            fn similarities(z1, z2, temperature) {
                u = normalize(z1)
                v = normalize(z2)
                return (u @ transpose(v)) / temperature
            }
            """,
            "loss": """
            fn nt_xent_loss(z1, z2, temperature = 0.5) {
                count = rows(z1)
                sim = similarities(z1, z2, temperature)
                u = normalize(z1)
                v = normalize(z2)
                within1 = u @ u.T / temperature
                within2 = v @ v.T / temperature
                total = 0
                for i in range(count) {
                    below1 = 0
                    below2 = 0
                    for j in range(count) {
                        below1 = below1 + exp(sim[i, j])
                        below2 = below2 + exp(sim[j, i])
                        if j != i {
                            below1 = below1 + exp(within1[i, j])
                            below2 = below2 + exp(within2[i, j])
                        }
                    }
                    total = total + log(below1) + log(below2) - 2 * sim[i, i]
                }
                return total / (2 * count)
            }
            """,
        ],
        // Own row normalisation, log-softmax and a mask of the positives.
        "chen": [
            "similarities": """
            # unit length rows
            fn unit_rows(x) {
                return x / sqrt(sum(x ^ 2, axis: 1, keepdim: true))
            }

            fn similarities(z1, z2, temperature) {
                return matmul(unit_rows(z1), transpose(unit_rows(z2))) / temperature
            }
            """,
            "loss": """
            fn nt_xent_loss(z1, z2, temperature = 0.5) {
                n = rows(z1)
                both = cat([unit_rows(z1), unit_rows(z2)], axis: 0)
                s = matmul(both, transpose(both)) / temperature - 1e9 * eye(2 * n)
                logp = log_softmax(s, axis: 1)
                upper = cat([zeros(n, n), eye(n)], axis: 1)
                lower = cat([eye(n), zeros(n, n)], axis: 1)
                positives = cat([upper, lower], axis: 0)
                return -sum(logp * positives) / (2 * n)
            }
            """,
        ],
        // logsumexp over the rows of [cross | within], the diagonal masked out.
        "dana": [
            "similarities": """
            fn similarities(z1, z2, temperature) {
                left = normalize(z1)
                right = normalize(z2)
                return left @ right.T / temperature
            }
            """,
            "loss": """
            fn nt_xent_loss(z1, z2, temperature = 0.5) {
                k = rows(z1)
                p = normalize(z1)
                q = normalize(z2)
                cross = p @ q.T / temperature
                self_p = masked_fill(p @ p.T / temperature, eye(k), -1e9)
                self_q = masked_fill(q @ q.T / temperature, eye(k), -1e9)
                loss_p = logsumexp(cat([cross, self_p], axis: 1), axis: 1) - diag(cross)
                loss_q = logsumexp(cat([cross.T, self_q], axis: 1), axis: 1) - diag(cross)
                return mean(cat([loss_p, loss_q]))
            }
            """,
        ],
        // One direction as a helper, called twice.
        "eli": [
            "similarities": """
            fn similarities(z1, z2, temperature) {
                a = normalize(z1)
                b = normalize(z2)
                return a @ b.T / temperature
            }
            """,
            "loss": """
            # the loss of the anchors in `anchor` against every other embedding
            fn one_side(anchor, other, temperature) {
                n = rows(anchor)
                between = exp(anchor @ other.T / temperature)
                within = exp(anchor @ anchor.T / temperature) * (1 - eye(n))
                denominator = sum(between, axis: 1) + sum(within, axis: 1)
                return -sum(log(diag(between) / denominator))
            }

            fn nt_xent_loss(z1, z2, temperature = 0.5) {
                a = normalize(z1)
                b = normalize(z2)
                return (one_side(a, b, temperature) + one_side(b, a, temperature)) / (2 * rows(z1))
            }
            """,
        ],
        // Exponentials of the whole batch, positives as row-wise dot products.
        "fay": [
            "similarities": """
            fn similarities(z1, z2, temperature) {
                return normalize(z1) @ transpose(normalize(z2)) / temperature
            }
            """,
            "loss": """
            fn nt_xent_loss(z1, z2, temperature = 0.5) {
                n = rows(z1)
                z = normalize(cat([z1, z2]))
                others = exp(z @ z.T / temperature) * (1 - eye(2 * n))
                pos = sum(normalize(z1) * normalize(z2), axis: 1) / temperature
                return mean(log(sum(others, axis: 1)) - cat([pos, pos]))
            }
            """,
        ],
    ]

    static let vicreg: [String: [String: String]] = [
        // Builtins where they exist, the off-diagonal by a mask.
        "ana": [
            "invariance": "fn invariance(za, zb) {\n    return mse(za, zb)\n}",
            "variance": """
            fn variance_term(z, eps = 0.0001) {
                std = sqrt(var(z, axis: 0) + eps)
                return mean(relu(1 - std))
            }
            """,
            "covariance": """
            fn covariance_term(z) {
                n = rows(z)
                d = cols(z)
                centred = z - mean(z, axis: 0, keepdim: true)
                cov = transpose(centred) @ centred / (n - 1)
                off = cov * (1 - eye(d))
                return sum(off * off) / d
            }
            """,
            "loss": """
            fn vicreg_loss(za, zb, lam = 25, mu = 25, nu = 1) {
                inv = invariance(za, zb)
                var_part = (variance_term(za) + variance_term(zb)) / 2
                cov_part = covariance_term(za) + covariance_term(zb)
                return lam * inv + mu * var_part + nu * cov_part
            }
            """,
        ],
        // Loops over dimensions and pairs of dimensions.
        "ben": [
            "invariance": """
            fn invariance(za, zb) {
                diff = za - zb
                return sum(diff * diff) / (rows(diff) * cols(diff))
            }
            """,
            "variance": """
            fn variance_term(z, eps = 0.0001) {
                n = rows(z)
                d = cols(z)
                hinge = 0
                for j in range(d) {
                    column = z[:, j]
                    centred = column - mean(column)
                    sd = sqrt(sum(centred * centred) / (n - 1) + eps)
                    hinge = hinge + relu(1 - sd)
                }
                return hinge / d
            }
            """,
            "covariance": """
            fn covariance_term(z) {
                n = rows(z)
                d = cols(z)
                centred = z - mean(z, axis: 0, keepdim: true)
                total = 0
                for i in range(d) {
                    for j in range(d) {
                        if i != j {
                            c = sum(centred[:, i] * centred[:, j]) / (n - 1)
                            total = total + c * c
                        }
                    }
                }
                return total / d
            }
            """,
            "loss": """
            fn vicreg_loss(za, zb, lam = 25, mu = 25, nu = 1) {
                s = invariance(za, zb)
                v = variance_term(za) + variance_term(zb)
                c = covariance_term(za) + covariance_term(zb)
                return lam * s + mu * v / 2 + nu * c
            }
            """,
        ],
        // pow, where and matmul; the loss in one expression.
        "chen": [
            "invariance": "fn invariance(za, zb) {\n    return mean(pow(za - zb, 2))\n}",
            "variance": """
            fn variance_term(z, eps = 0.0001) {
                s = sqrt(var(z, axis: 0) + eps)
                gap = where(s < 1, 1 - s, 0)
                return sum(gap) / cols(z)
            }
            """,
            "covariance": """
            fn covariance_term(z) {
                m = mean(z, axis: 0, keepdim: true)
                x = z - m
                cov = matmul(transpose(x), x) / (rows(z) - 1)
                return sum(pow(offdiag(cov), 2)) / cols(z)
            }
            """,
            "loss": """
            fn vicreg_loss(za, zb, lam = 25, mu = 25, nu = 1) {
                return lam * invariance(za, zb) + mu * 0.5 * (variance_term(za) + variance_term(zb)) + nu * (covariance_term(za) + covariance_term(zb))
            }
            """,
        ],
        // The covariance term as everything minus the diagonal.
        "dana": [
            "invariance": "fn invariance(za, zb) { return mean((za - zb) ^ 2) }",
            "variance": """
            fn variance_term(z, eps = 0.0001) {
                per_dim = var(z, axis: 0)
                return mean(relu(1 - sqrt(per_dim + eps)))
            }
            """,
            "covariance": """
            fn covariance_term(z) {
                centered = z - mean(z, axis: 0, keepdim: true)
                cov = centered.T @ centered / (z.shape[0] - 1)
                everything = sum(cov ^ 2)
                on_diagonal = sum(diag(cov) ^ 2)
                return (everything - on_diagonal) / z.shape[1]
            }
            """,
            "loss": """
            fn vicreg_loss(za, zb, lam = 25, mu = 25, nu = 1) {
                invariance_part = invariance(za, zb)
                variance_part = 0.5 * (variance_term(za) + variance_term(zb))
                covariance_part = covariance_term(za) + covariance_term(zb)
                return lam * invariance_part + mu * variance_part + nu * covariance_part
            }
            """,
        ],
        // A helper that centres, a loop over rows, the terms in a list.
        "eli": [
            "invariance": """
            fn invariance(za, zb) {
                n = rows(za)
                total = 0
                for i in range(n) {
                    total = total + sum((za[i] - zb[i]) ^ 2)
                }
                return total / (n * cols(za))
            }
            """,
            "variance": """
            fn centre(z) {
                return z - mean(z, axis: 0, keepdim: true)
            }

            fn variance_term(z, eps = 0.0001) {
                c = centre(z)
                variances = sum(c * c, axis: 0) / (rows(z) - 1)
                return mean(relu(1 - sqrt(variances + eps)))
            }
            """,
            "covariance": """
            fn covariance_term(z) {
                c = centre(z)
                d = cols(z)
                cov = (c.T @ c) / (rows(z) - 1)
                mask = ones(d, d) - eye(d)
                return sum((cov * mask) ^ 2) / d
            }
            """,
            "loss": """
            fn vicreg_loss(za, zb, lam = 25, mu = 25, nu = 1) {
                terms = [invariance(za, zb), (variance_term(za) + variance_term(zb)) / 2, covariance_term(za) + covariance_term(zb)]
                return lam * terms[0] + mu * terms[1] + nu * terms[2]
            }
            """,
        ],
        // Variances by hand; the two views' variance terms halved separately.
        "fay": [
            "invariance": "fn invariance(za, zb) {\n    return mean((zb - za) * (zb - za))\n}",
            "variance": """
            fn variance_term(z, eps = 0.0001) {
                n = rows(z)
                mu_z = mean(z, axis: 0, keepdim: true)
                v = sum((z - mu_z) ^ 2, axis: 0) / (n - 1)
                return sum(relu(1 - sqrt(v + eps))) / cols(z)
            }
            """,
            "covariance": """
            fn covariance_term(z) {
                n = rows(z)
                zc = z - mean(z, axis: 0, keepdim: true)
                cov = zc.T @ zc / (n - 1)
                return (sum(cov ^ 2) - sum(diag(cov) ^ 2)) / cols(z)
            }
            """,
            "loss": """
            fn vicreg_loss(za, zb, lam = 25, mu = 25, nu = 1) {
                sim = invariance(za, zb)
                std_loss = variance_term(za) / 2 + variance_term(zb) / 2
                cov_loss = covariance_term(za) + covariance_term(zb)
                return lam * sim + mu * std_loss + nu * cov_loss
            }
            """,
        ],
    ]

    /// The reference of 02 disguised: every name changed, the two functions swapped between
    /// the cells, two statements reordered, comments added, layout changed.
    static let ntXentDisguised: [String: String] = [
        "similarities": """
        # NT-Xent: the mean over both views
        fn nt_xent_loss(first, second, tau = 0.5) {
            size = rows(first)
            u = normalize(first);   v = normalize(second)
            uv = u @ v.T / tau
            vv = v @ v.T / tau
            uu = u @ u.T / tau
            mask = 1 - eye(size)   # leave the anchor out
            bottom_u = sum(exp(uv), axis: 1) + sum(exp(uu) * mask, axis: 1)
            bottom_v = sum(exp(uv.T), axis: 1) + sum(exp(vv) * mask,
                                                     axis: 1)
            pos = diag(uv)
            return (sum(log(bottom_u) - pos) + sum(log(bottom_v) - pos)) / (2 * size)
        }
        """,
        "loss": """
        # the cosine similarity matrix
        fn similarities(x, y, t) {
            p = normalize(x)
            q = normalize(y)
            return p @ q.T / t
        }
        """,
    ]

    /// The reference of 02 with three lines of its loss changed.
    static let ntXentEdited: [String: String] = [
        "similarities": """
        fn similarities(z1, z2, temperature) {
            a = normalize(z1)
            b = normalize(z2)
            return a @ b.T / temperature
        }
        """,
        "loss": """
        fn nt_xent_loss(z1, z2, temperature = 0.5) {
            n = rows(z1)
            a = normalize(z1)
            b = normalize(z2)
            s_ab = a @ b.T / temperature
            s_aa = a @ a.T / temperature
            s_bb = b @ b.T / temperature
            others = ones(n, n) - eye(n)
            den_a = sum(exp(s_ab), axis: 1) + sum(exp(s_aa) * others, axis: 1)
            den_b = sum(exp(s_ab.T), axis: 1) + sum(exp(s_bb) * others, axis: 1)
            positives = sum(a * b, axis: 1) / temperature
            total = sum(log(den_a) - positives) + sum(log(den_b) - positives)
            return total / (2 * n)
        }
        """,
    ]

    /// The reference of 11 disguised: names changed, the four functions moved to other
    /// cells, statements reordered, comments added.
    static let vicregDisguised: [String: String] = [
        "invariance": """
        fn covariance_term(m) {
            rows_m = m.shape[0]
            dims = m.shape[1]
            centred = m - mean(m, axis: 0, keepdim: true)
            k = centred.T @ centred / (rows_m - 1)
            return sum(offdiag(k) ^ 2) / dims   # off-diagonal only
        }
        """,
        "variance": "fn invariance(p, q) {\n    return mean((p - q) ^ 2)   # squared error\n}",
        "covariance": """
        fn vicreg_loss(p, q, lam = 25, mu = 25, nu = 1) {
            cv = covariance_term(p) + covariance_term(q)
            vr = (variance_term(p) + variance_term(q)) / 2
            return lam * invariance(p, q) + mu * vr + nu * cv
        }
        """,
        "loss": "fn variance_term(m, eps = 0.0001) { return mean(relu(1 - sqrt(var(m, axis: 0) + eps))) }",
    ]

    /// The reference of 11 with two lines changed.
    static let vicregEdited: [String: String] = [
        "invariance": "fn invariance(za, zb) {\n    return mean((za - zb) ^ 2)\n}",
        "variance": "fn variance_term(z, eps = 0.0001) {\n    return mean(relu(1 - sqrt(var(z, axis: 0) + eps)))\n}",
        "covariance": """
        fn covariance_term(z) {
            n = z.shape[0]
            d = cols(z)
            c = z - mean(z, axis: 0, keepdim: true)
            cov = c.T @ c / (n - 1)
            return sum(offdiag(cov) ^ 2) / d
        }
        """,
        "loss": """
        fn vicreg_loss(za, zb, lam = 25, mu = 25, nu = 1) {
            v = 0.5 * (variance_term(za) + variance_term(zb))
            c = covariance_term(za) + covariance_term(zb)
            return lam * invariance(za, zb) + mu * v + nu * c
        }
        """,
    ]
}
