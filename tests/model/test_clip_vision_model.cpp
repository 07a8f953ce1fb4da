// The CLIP vision transformer against a second, naive implementation written
// here with scalar loops in double precision, token by token and head by head.

#include "common/error.h"
#include "model/clip_vision_model.h"
#include "model/random_weights.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>
#include <vector>

using namespace wemoe;

namespace {

using Matrix = std::vector<std::vector<double>>; // [rows][cols]

std::vector<double> toVector(const torch::Tensor &t)
{
    const auto d = t.to(torch::kFloat64).contiguous().flatten();
    return std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
}

struct NaiveClip
{
    ClipVisionConfig c;
    TensorMap w;

    std::vector<double> get(const std::string &name) const { return toVector(w.at(name)); }

    // y = W x + b, W [out, in] row-major
    std::vector<double> linear(const std::vector<double> &x, const std::string &prefix, bool bias = true) const
    {
        const auto W = get(prefix + ".weight");
        const size_t in = x.size();
        const size_t out = W.size() / in;
        std::vector<double> b = bias ? get(prefix + ".bias") : std::vector<double>(out, 0.0);
        std::vector<double> y(out);
        for (size_t o = 0; o < out; ++o) {
            double s = b[o];
            for (size_t i = 0; i < in; ++i)
                s += W[o * in + i] * x[i];
            y[o] = s;
        }
        return y;
    }

    std::vector<double> layerNorm(const std::vector<double> &x, const std::string &prefix) const
    {
        const auto g = get(prefix + ".weight");
        const auto b = get(prefix + ".bias");
        double mean = 0;
        for (double v : x)
            mean += v;
        mean /= x.size();
        double var = 0;
        for (double v : x)
            var += (v - mean) * (v - mean);
        var /= x.size(); // biased, as torch's layer_norm
        std::vector<double> y(x.size());
        for (size_t i = 0; i < x.size(); ++i)
            y[i] = (x[i] - mean) / std::sqrt(var + c.layerNormEps) * g[i] + b[i];
        return y;
    }

    double act(double v) const
    {
        if (c.hiddenAct == QLatin1String("quick_gelu"))
            return v / (1.0 + std::exp(-1.702 * v));
        return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0)));
    }

    // One image [C][H][W] -> features.
    std::vector<double> encode(const torch::Tensor &image) const
    {
        const int D = c.hiddenSize, p = c.patchSize, g = c.imageSize / c.patchSize;
        const auto img = toVector(image);
        const auto conv = get("embeddings.patch_embedding.weight"); // [D, C, p, p]
        const auto pos = get("embeddings.position_embedding.weight");
        Matrix x(g * g + 1, std::vector<double>(D));
        x[0] = get("embeddings.class_embedding");
        for (int py = 0; py < g; ++py)
            for (int px = 0; px < g; ++px)
                for (int d = 0; d < D; ++d) {
                    double s = 0;
                    for (int ch = 0; ch < c.numChannels; ++ch)
                        for (int ky = 0; ky < p; ++ky)
                            for (int kx = 0; kx < p; ++kx)
                                s += conv[((d * c.numChannels + ch) * p + ky) * p + kx]
                                     * img[(ch * c.imageSize + py * p + ky) * c.imageSize + px * p + kx];
                    x[1 + py * g + px][d] = s;
                }
        for (size_t t = 0; t < x.size(); ++t) {
            for (int d = 0; d < D; ++d)
                x[t][d] += pos[t * D + d];
            x[t] = layerNorm(x[t], "pre_layrnorm");
        }
        for (int l = 0; l < c.numHiddenLayers; ++l)
            x = block(l, x);
        auto pooled = layerNorm(x[0], "post_layernorm");
        if (c.projectionDim > 0)
            pooled = linear(pooled, "visual_projection", false);
        return pooled;
    }

    Matrix block(int l, const Matrix &x) const
    {
        const std::string pre = "encoder.layers." + std::to_string(l) + ".";
        const int D = c.hiddenSize, H = c.numAttentionHeads, hd = D / H;
        const size_t N = x.size();
        Matrix q(N), k(N), v(N);
        for (size_t t = 0; t < N; ++t) {
            const auto h = layerNorm(x[t], pre + "layer_norm1");
            q[t] = linear(h, pre + "self_attn.q_proj");
            k[t] = linear(h, pre + "self_attn.k_proj");
            v[t] = linear(h, pre + "self_attn.v_proj");
        }
        Matrix out = x;
        for (size_t t = 0; t < N; ++t) {
            std::vector<double> ctx(D, 0.0);
            for (int head = 0; head < H; ++head) {
                std::vector<double> scores(N);
                double mx = -1e300;
                for (size_t s = 0; s < N; ++s) {
                    double dot = 0;
                    for (int i = 0; i < hd; ++i)
                        dot += q[t][head * hd + i] * k[s][head * hd + i];
                    scores[s] = dot / std::sqrt(double(hd));
                    mx = std::max(mx, scores[s]);
                }
                double z = 0;
                for (auto &s : scores)
                    z += (s = std::exp(s - mx));
                for (size_t s = 0; s < N; ++s)
                    for (int i = 0; i < hd; ++i)
                        ctx[head * hd + i] += scores[s] / z * v[s][head * hd + i];
            }
            const auto attn = linear(ctx, pre + "self_attn.out_proj");
            for (int d = 0; d < D; ++d)
                out[t][d] += attn[d];
        }
        for (size_t t = 0; t < N; ++t) {
            auto hidden = linear(layerNorm(out[t], pre + "layer_norm2"), pre + "mlp.fc1");
            for (auto &h : hidden)
                h = act(h);
            const auto mlp = linear(hidden, pre + "mlp.fc2");
            for (int d = 0; d < D; ++d)
                out[t][d] += mlp[d];
        }
        return out;
    }
};

torch::Tensor randomImages(const ClipVisionConfig &c, int batch, quint64 seed)
{
    auto gen = at::detail::createCPUGenerator(seed);
    return at::normal(0.0, 1.0, {batch, c.numChannels, c.imageSize, c.imageSize}, gen).to(torch::kFloat32);
}

} // namespace

class TestClipVisionModel : public QObject
{
    Q_OBJECT

private:
    void compareWithNaive(const ClipVisionConfig &config, double weightStd)
    {
        const auto weights = randomClipVisionWeights(config, 7, weightStd);
        const ClipVisionModel model(config, weights, torch::kCPU);
        const auto images = randomImages(config, 3, 11);
        torch::Tensor features;
        {
            torch::NoGradGuard noGrad;
            features = model.encode(images);
        }
        QCOMPARE(features.size(0), 3);
        QCOMPARE(features.size(1), model.featureDim());
        const NaiveClip naive{config, weights};
        for (int b = 0; b < 3; ++b) {
            const auto expected = naive.encode(images[b]);
            const auto got = toVector(features[b]);
            QCOMPARE(got.size(), expected.size());
            for (size_t i = 0; i < got.size(); ++i) {
                const double tolerance = 1e-4 * std::max(1.0, std::abs(expected[i]));
                QVERIFY2(std::abs(got[i] - expected[i]) <= tolerance,
                         qPrintable(QStringLiteral("image %1 feature %2: %3 vs naive %4")
                                        .arg(b)
                                        .arg(i)
                                        .arg(got[i])
                                        .arg(expected[i])));
            }
        }
    }

private Q_SLOTS:
    void matchesNaiveImplementation()
    {
        // Larger weights than CLIP's init so attention is far from uniform and
        // every part of the block visibly matters.
        compareWithNaive(tinyClipConfig(), 0.2);
    }

    void matchesNaiveWithGeluAndNoProjection()
    {
        auto config = tinyClipConfig();
        config.hiddenAct = QStringLiteral("gelu");
        config.projectionDim = 0;
        config.numAttentionHeads = 4;
        config.numHiddenLayers = 1;
        compareWithNaive(config, 0.2);
    }

    void batchIsIndependentPerImage()
    {
        const auto config = tinyClipConfig();
        const ClipVisionModel model(config, randomClipVisionWeights(config, 3, 0.1), torch::kCPU);
        const auto images = randomImages(config, 4, 5);
        torch::NoGradGuard noGrad;
        const auto all = model.encode(images);
        const auto one = model.encode(images.slice(0, 2, 3));
        QVERIFY2(test::describeMismatch(all.slice(0, 2, 3), one, 1e-5, 1e-6).isEmpty(), "batching changed a result");
    }

    void halfPrecisionStorageIsComputedInFloat()
    {
        const auto config = tinyClipConfig();
        auto weights = randomClipVisionWeights(config, 9, 0.1);
        TensorMap bf16;
        TensorMap widened;
        for (const auto &[name, t] : weights) {
            bf16[name] = t.to(torch::kBFloat16);
            widened[name] = bf16[name].to(torch::kFloat32);
        }
        const auto images = randomImages(config, 2, 1);
        torch::NoGradGuard noGrad;
        const auto a = ClipVisionModel(config, bf16, torch::kCPU).encode(images);
        const auto b = ClipVisionModel(config, widened, torch::kCPU).encode(images);
        QCOMPARE(a.scalar_type(), torch::kFloat32);
        QVERIFY(torch::equal(a, b));
    }

    void mlpOverrideReplacesEveryBlock()
    {
        const auto config = tinyClipConfig();
        ClipVisionModel model(config, randomClipVisionWeights(config, 2, 0.1), torch::kCPU);
        const auto images = randomImages(config, 2, 3);
        torch::NoGradGuard noGrad;
        const auto plain = model.encode(images);
        std::vector<int> layersSeen;
        model.setMlpOverride([&](int layer, const torch::Tensor &h) {
            layersSeen.push_back(layer);
            auto hidden = applyActivation(config.hiddenAct,
                                          torch::linear(h, model.weight(blockTensorName(layer, "mlp.fc1.weight")),
                                                        model.weight(blockTensorName(layer, "mlp.fc1.bias"))));
            return torch::linear(hidden, model.weight(blockTensorName(layer, "mlp.fc2.weight")),
                                 model.weight(blockTensorName(layer, "mlp.fc2.bias")));
        });
        const auto same = model.encode(images);
        QCOMPARE(layersSeen, (std::vector<int>{0, 1}));
        QVERIFY(torch::allclose(plain, same));

        model.setMlpOverride([](int, const torch::Tensor &h) { return torch::zeros_like(h); });
        QVERIFY(!torch::allclose(plain, model.encode(images)));
    }

    void quickGeluIsHandComputed()
    {
        // quick_gelu(1) = 1 / (1 + e^-1.702) = 0.845796...; gelu(1) = 0.5 (1 + erf(1/sqrt 2)) = 0.841345
        const auto x = torch::tensor({1.0, -2.0, 0.0}, torch::kFloat64);
        const auto q = applyActivation(QStringLiteral("quick_gelu"), x);
        QVERIFY(std::abs(q[0].item<double>() - 0.8457957) < 1e-6);
        QVERIFY(std::abs(q[1].item<double>() - (-2.0 / (1.0 + std::exp(3.404)))) < 1e-12);
        QCOMPARE(q[2].item<double>(), 0.0);
        const auto g = applyActivation(QStringLiteral("gelu"), x);
        QVERIFY(std::abs(g[0].item<double>() - 0.8413447) < 1e-6);
        QVERIFY_THROWS_EXCEPTION(Error, applyActivation(QStringLiteral("swish"), x));
    }

    void missingOrMisshapedWeightsAreNamed()
    {
        const auto config = tinyClipConfig();
        auto weights = randomClipVisionWeights(config, 1);
        weights.erase("encoder.layers.1.mlp.fc2.bias");
        try {
            ClipVisionModel model(config, weights, torch::kCPU);
            QFAIL("missing tensor accepted");
        } catch (const Error &e) {
            QVERIFY2(e.message().contains(QLatin1String("encoder.layers.1.mlp.fc2.bias")), qPrintable(e.message()));
        }
        weights = randomClipVisionWeights(config, 1);
        weights["post_layernorm.weight"] = torch::ones({5});
        try {
            ClipVisionModel model(config, weights, torch::kCPU);
            QFAIL("wrong shape accepted");
        } catch (const Error &e) {
            QVERIFY2(e.message().contains(QLatin1String("post_layernorm.weight")), qPrintable(e.message()));
        }
    }

    void wrongImageSizeIsAnError()
    {
        const auto config = tinyClipConfig();
        const ClipVisionModel model(config, randomClipVisionWeights(config, 1), torch::kCPU);
        QVERIFY_THROWS_EXCEPTION(Error, model.encode(torch::zeros({1, 3, 8, 8})));
    }
};

QTEST_APPLESS_MAIN(TestClipVisionModel)
#include "test_clip_vision_model.moc"
