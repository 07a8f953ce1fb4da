// CLIP's text tower against a second, naive implementation written here with
// scalar loops in double precision: one prompt at a time, token by token,
// head by head, over the whole prompt (no cutting, no padding, no batching).
// Also its config parser, its errors, and that padding and batching never
// change a result.

#include "common/error.h"
#include "test_support.h"
#include "text/clip_text_config.h"
#include "text/clip_text_model.h"
#include "text/random_text_weights.h"

#include <QtCore/QJsonDocument>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <atomic>
#include <cmath>
#include <vector>

using namespace wemoe;

namespace {

using Prompt = std::vector<int64_t>;
using Matrix = std::vector<std::vector<double>>; // [tokens][width]

const QString kSource = QStringLiteral("clip/model.safetensors");

std::vector<double> toVector(const torch::Tensor &t)
{
    const auto d = t.to(torch::kFloat64).contiguous().flatten();
    return std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
}

struct NaiveTextTower
{
    ClipTextConfig c;
    TensorMap w;

    std::vector<double> get(const std::string &name) const { return toVector(w.at(name)); }

    // y = W x + b, W [out, in] row-major
    std::vector<double> linear(const std::vector<double> &x, const std::string &prefix, bool bias = true) const
    {
        const auto W = get(prefix + ".weight");
        const size_t in = x.size();
        const size_t out = W.size() / in;
        const std::vector<double> b = bias ? get(prefix + ".bias") : std::vector<double>(out, 0.0);
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

    static double quickGelu(double v) { return v / (1.0 + std::exp(-1.702 * v)); }

    // Hugging Face's rule: openai's eos_token_id 2 pools at the first largest
    // id, any other value at its first occurrence.
    size_t poolPosition(const Prompt &ids) const
    {
        size_t best = 0;
        for (size_t t = 0; t < ids.size(); ++t) {
            if (c.eosTokenId == 2 ? ids[t] > ids[best] : ids[t] == c.eosTokenId) {
                best = t;
                if (c.eosTokenId != 2)
                    break;
            }
        }
        return best;
    }

    std::vector<double> encode(const Prompt &ids) const
    {
        const int D = c.hiddenSize;
        const auto tokens = get("text_model.embeddings.token_embedding.weight");
        const auto positions = get("text_model.embeddings.position_embedding.weight");
        Matrix x(ids.size(), std::vector<double>(D));
        for (size_t t = 0; t < ids.size(); ++t)
            for (int d = 0; d < D; ++d)
                x[t][d] = tokens[ids[t] * D + d] + positions[t * D + d];
        for (int l = 0; l < c.numHiddenLayers; ++l)
            x = block(l, x);
        const auto pooled = layerNorm(x[poolPosition(ids)], "text_model.final_layer_norm");
        return linear(pooled, "text_projection", false);
    }

    Matrix block(int l, const Matrix &x) const
    {
        const std::string pre = "text_model.encoder.layers." + std::to_string(l) + ".";
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
            std::vector<double> context(D, 0.0);
            for (int head = 0; head < H; ++head) {
                // Causal: token t sees tokens 0..t only.
                std::vector<double> scores(t + 1);
                double largest = -1e300;
                for (size_t s = 0; s <= t; ++s) {
                    double dot = 0;
                    for (int i = 0; i < hd; ++i)
                        dot += q[t][head * hd + i] * k[s][head * hd + i];
                    scores[s] = dot / std::sqrt(double(hd));
                    largest = std::max(largest, scores[s]);
                }
                double z = 0;
                for (auto &s : scores)
                    z += (s = std::exp(s - largest));
                for (size_t s = 0; s <= t; ++s)
                    for (int i = 0; i < hd; ++i)
                        context[head * hd + i] += scores[s] / z * v[s][head * hd + i];
            }
            const auto attention = linear(context, pre + "self_attn.out_proj");
            for (int d = 0; d < D; ++d)
                out[t][d] += attention[d];
        }
        for (size_t t = 0; t < N; ++t) {
            auto hidden = linear(layerNorm(out[t], pre + "layer_norm2"), pre + "mlp.fc1");
            for (auto &h : hidden)
                h = quickGelu(h);
            const auto mlp = linear(hidden, pre + "mlp.fc2");
            for (int d = 0; d < D; ++d)
                out[t][d] += mlp[d];
        }
        return out;
    }
};

// Larger weights than CLIP's init, and random layer norms, so that attention
// is far from uniform and every part of the tower visibly matters.
TensorMap strongWeights(const ClipTextConfig &config, quint64 seed)
{
    auto weights = randomClipTextWeights(config, seed, 0.3);
    auto generator = at::detail::createCPUGenerator(seed + 1);
    for (auto &[name, t] : weights)
        if (name.find("layer_norm") != std::string::npos)
            t = t + at::normal(0.0, 0.2, t.sizes(), generator).to(torch::kFloat32);
    return weights;
}

// Start token vocab-2, `middle` ids below it, end token vocab-1 (the largest
// id, as in CLIP's vocabulary), then `after` padding ids.
Prompt prompt(const ClipTextConfig &c, int length, quint64 seed, int after = 0, int64_t padId = 0)
{
    auto generator = at::detail::createCPUGenerator(seed);
    const auto middle = at::randint(1, c.vocabSize - 2, {length - 2}, generator, torch::kLong);
    Prompt ids{c.vocabSize - 2};
    for (int i = 0; i < length - 2; ++i)
        ids.push_back(middle[i].item<int64_t>());
    ids.push_back(c.vocabSize - 1);
    ids.insert(ids.end(), after, padId);
    return ids;
}

QString mismatchWithNaive(const ClipTextModel &model, const TensorMap &weights, const std::vector<Prompt> &prompts)
{
    const auto got = model.encode(prompts);
    if (got.size(0) != int64_t(prompts.size()) || got.size(1) != model.projectionDim())
        return QStringLiteral("shape %1").arg(QString::fromStdString(c10::str(got.sizes())));
    const NaiveTextTower naive{model.config(), weights};
    for (size_t p = 0; p < prompts.size(); ++p) {
        const auto expected = torch::tensor(naive.encode(prompts[p]), torch::kFloat64);
        const auto mismatch = test::describeMismatch(got[int64_t(p)].to(torch::kFloat64), expected, 1e-5, 1e-5);
        if (!mismatch.isEmpty())
            return QStringLiteral("prompt %1: %2").arg(p).arg(mismatch);
    }
    return QString();
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

} // namespace

class TestClipTextModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesNaiveImplementationPooledAtLargestId()
    {
        const auto config = tinyClipTextConfig();
        QVERIFY(config.poolsAtLargestId());
        const auto weights = strongWeights(config, 7);
        const ClipTextModel model(config, weights, torch::kCPU, kSource);
        // Lengths out of order (the result keeps the input's), the full
        // context, a two-token prompt, and one whose end is followed by padding.
        const std::vector<Prompt> prompts{prompt(config, 7, 1), prompt(config, 3, 2), prompt(config, 12, 3),
                                          prompt(config, 2, 4), prompt(config, 5, 5, 4)};
        const auto mismatch = mismatchWithNaive(model, weights, prompts);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }

    void matchesNaiveImplementationPooledAtFirstEndToken()
    {
        auto config = tinyClipTextConfig();
        config.eosTokenId = 7;
        const auto weights = strongWeights(config, 8);
        const ClipTextModel model(config, weights, torch::kCPU, kSource);
        // Larger ids than 7 everywhere, so pooling at the largest id would
        // pick other positions; the second prompt has two 7s (the first counts).
        const std::vector<Prompt> prompts{{49, 30, 12, 7, 45, 48}, {49, 7, 40, 7, 3}, {20, 33, 41, 9, 11, 7}};
        const auto mismatch = mismatchWithNaive(model, weights, prompts);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));

        // ...and the two rules really differ on these prompts.
        config.eosTokenId = ClipTextConfig::kLegacyEosTokenId;
        const ClipTextModel legacy(config, weights, torch::kCPU, kSource);
        QVERIFY(!torch::allclose(legacy.encode(prompts), model.encode(prompts)));
    }

    void paddingDoesNotChangeAResult()
    {
        const auto config = tinyClipTextConfig();
        const ClipTextModel model(config, strongWeights(config, 9), torch::kCPU, kSource);
        const auto shortPrompt = prompt(config, 4, 10);
        const auto alone = model.encode({shortPrompt});
        const auto withLonger = model.encode({prompt(config, 12, 11), shortPrompt});
        QVERIFY2(test::describeMismatch(withLonger[1], alone[0], 1e-6, 1e-6).isEmpty(),
                 qPrintable(test::describeMismatch(withLonger[1], alone[0], 1e-6, 1e-6)));
        // Tokens after the end token (a tokenizer's padding) change nothing either.
        auto padded = shortPrompt;
        padded.insert(padded.end(), 8, 0);
        QVERIFY(test::describeMismatch(model.encode({padded})[0], alone[0], 1e-6, 1e-6).isEmpty());
    }

    void batchSplittingDoesNotChangeAResult()
    {
        const auto config = tinyClipTextConfig();
        ClipTextModel model(config, strongWeights(config, 12), torch::kCPU, kSource);
        std::vector<Prompt> prompts;
        for (int i = 0; i < 7; ++i)
            prompts.push_back(prompt(config, 2 + (i * 5) % 11, 20 + i));
        const auto together = model.encode(prompts);
        for (int batchSize : {1, 2, 3}) {
            model.setBatchSize(batchSize);
            QCOMPARE(model.batchSize(), batchSize);
            const auto split = model.encode(prompts);
            QVERIFY2(test::describeMismatch(split, together, 1e-6, 1e-6).isEmpty(),
                     qPrintable(QStringLiteral("batch %1: %2")
                                    .arg(batchSize)
                                    .arg(test::describeMismatch(split, together, 1e-6, 1e-6))));
        }
        // A token cap below one prompt's length still makes passes of one prompt.
        model.setBatchSize(ClipTextModel::kDefaultBatchSize);
        for (int tokens : {1, 12, 25}) {
            model.setBatchTokens(tokens);
            QCOMPARE(model.batchTokens(), tokens);
            const auto split = model.encode(prompts);
            QVERIFY2(test::describeMismatch(split, together, 1e-6, 1e-6).isEmpty(),
                     qPrintable(QStringLiteral("%1 tokens: %2")
                                    .arg(tokens)
                                    .arg(test::describeMismatch(split, together, 1e-6, 1e-6))));
        }
        QVERIFY_THROWS_EXCEPTION(Error, model.setBatchSize(0));
        QVERIFY_THROWS_EXCEPTION(Error, model.setBatchTokens(0));
    }

    void noPromptsGiveAnEmptyMatrix()
    {
        const auto config = tinyClipTextConfig();
        const ClipTextModel model(config, randomClipTextWeights(config, 1), torch::kCPU, kSource);
        const auto none = model.encode({});
        QCOMPARE(none.size(0), 0);
        QCOMPARE(none.size(1), config.projectionDim);
    }

    void reportsProgressAndStopsWhenCancelled()
    {
        const auto config = tinyClipTextConfig();
        ClipTextModel model(config, randomClipTextWeights(config, 1), torch::kCPU, kSource);
        model.setBatchSize(2);
        const std::vector<Prompt> prompts(5, prompt(config, 6, 3));
        std::vector<qint64> done;
        JobContext context;
        context.onProgress = [&](qint64 d, qint64 total, const QString &) {
            QCOMPARE(total, 5);
            done.push_back(d);
        };
        model.encode(prompts, context);
        QCOMPARE(done, (std::vector<qint64>{2, 4, 5}));

        std::atomic<bool> cancel{true};
        context.cancelFlag = &cancel;
        QVERIFY_THROWS_EXCEPTION(Cancelled, model.encode(prompts, context));
    }

    void halfPrecisionStorageIsComputedInFloat()
    {
        const auto config = tinyClipTextConfig();
        TensorMap bf16;
        TensorMap widened;
        for (const auto &[name, t] : strongWeights(config, 13)) {
            bf16[name] = t.to(torch::kBFloat16);
            widened[name] = bf16[name].to(torch::kFloat32);
        }
        const std::vector<Prompt> prompts{prompt(config, 5, 1), prompt(config, 9, 2)};
        const auto a = ClipTextModel(config, bf16, torch::kCPU, kSource).encode(prompts);
        const auto b = ClipTextModel(config, widened, torch::kCPU, kSource).encode(prompts);
        QCOMPARE(a.scalar_type(), torch::kFloat32);
        QVERIFY(torch::equal(a, b));
    }

    void badPromptsAreErrors()
    {
        const auto config = tinyClipTextConfig();
        const ClipTextModel model(config, randomClipTextWeights(config, 1), torch::kCPU, kSource);
        const auto good = prompt(config, 5, 1);
        auto message = test::errorOf([&] { model.encode({good, prompt(config, 13, 2)}); });
        QVERIFY2(message.contains(QLatin1String("prompt 1")) && message.contains(QLatin1String("13 tokens"))
                     && message.contains(QLatin1String("12")),
                 qPrintable(message));
        message = test::errorOf([&] { model.encode({Prompt{48, 50, 49}}); });
        QVERIFY2(message.contains(QLatin1String("id 50")) && message.contains(QLatin1String("vocabulary of 50")),
                 qPrintable(message));
        message = test::errorOf([&] { model.encode({good, Prompt{48, -1, 49}}); });
        QVERIFY2(message.contains(QLatin1String("prompt 1")) && message.contains(QLatin1String("id -1")),
                 qPrintable(message));
        QVERIFY(!test::errorOf([&] { model.encode({Prompt{}}); }).isEmpty());

        auto firstEnd = config;
        firstEnd.eosTokenId = 7;
        const ClipTextModel withEnd(firstEnd, randomClipTextWeights(firstEnd, 1), torch::kCPU, kSource);
        message = test::errorOf([&] { withEnd.encode({Prompt{49, 7}, Prompt{49, 8, 9}}); });
        QVERIFY2(message.contains(QLatin1String("prompt 1")) && message.contains(QLatin1String("no end token (id 7)")),
                 qPrintable(message));
    }

    void missingOrMisshapedTensorsAreNamed()
    {
        const auto config = tinyClipTextConfig();
        auto weights = randomClipTextWeights(config, 1);
        weights.erase("text_model.encoder.layers.1.mlp.fc2.bias");
        auto message = test::errorOf([&] { ClipTextModel(config, weights, torch::kCPU, kSource); });
        QVERIFY2(message.startsWith(kSource)
                     && message.contains(QLatin1String("'text_model.encoder.layers.1.mlp.fc2.bias'"))
                     && message.contains(QLatin1String("missing")),
                 qPrintable(message));

        weights = randomClipTextWeights(config, 1);
        weights["text_model.encoder.layers.0.self_attn.k_proj.weight"] = torch::zeros({16, 8});
        message = test::errorOf([&] { ClipTextModel(config, weights, torch::kCPU, kSource); });
        QVERIFY2(message.startsWith(kSource)
                     && message.contains(QLatin1String("'text_model.encoder.layers.0.self_attn.k_proj.weight'"))
                     && message.contains(QLatin1String("[16, 8]")) && message.contains(QLatin1String("[16, 16]")),
                 qPrintable(message));

        weights = randomClipTextWeights(config, 1);
        weights["text_model.embeddings.position_embedding.weight"] = torch::zeros({77, 16});
        message = test::errorOf([&] { ClipTextModel(config, weights, torch::kCPU, kSource); });
        QVERIFY2(message.contains(QLatin1String("position_embedding")), qPrintable(message));
    }

    void projectionOfAnotherWidthIsNamedWithBothWidths()
    {
        const auto config = tinyClipTextConfig();
        auto weights = randomClipTextWeights(config, 1);
        weights["text_projection.weight"] = torch::zeros({8, 24});
        const auto message = test::errorOf([&] { ClipTextModel(config, weights, torch::kCPU, kSource); });
        QVERIFY2(message.startsWith(kSource) && message.contains(QLatin1String("'text_projection.weight'"))
                     && message.contains(QLatin1String("width 24")) && message.contains(QLatin1String("16 wide")),
                 qPrintable(message));

        weights["text_projection.weight"] = torch::zeros({6, 16}); // right width, wrong projection_dim
        QVERIFY(test::errorOf([&] {
                    ClipTextModel(config, weights, torch::kCPU, kSource);
                }).contains(QLatin1String("text_projection.weight")));
    }

    void findsTheTextTowerInAMap()
    {
        const auto config = tinyClipTextConfig();
        auto weights = randomClipTextWeights(config, 1);
        QVERIFY(ClipTextModel::hasTextTower(weights));
        for (const auto &[name, t] : weights)
            QVERIFY(ClipTextModel::isTextTowerTensor(name));
        QVERIFY(!ClipTextModel::isTextTowerTensor("visual_projection.weight"));
        QVERIFY(!ClipTextModel::isTextTowerTensor("vision_model.encoder.layers.0.mlp.fc1.weight"));
        QVERIFY(!ClipTextModel::isTextTowerTensor("logit_scale"));
        weights.erase("text_projection.weight");
        QVERIFY(!ClipTextModel::hasTextTower(weights));
        QVERIFY(!ClipTextModel::hasTextTower(TensorMap{}));
    }

    void readsCLIPConfigsTextConfig()
    {
        // openai's layout: the text fields in "text_config", projection_dim at the top.
        const auto config = ClipTextConfig::fromJson(json(R"({
            "model_type": "clip", "projection_dim": 768,
            "text_config": {"hidden_size": 768, "intermediate_size": 3072, "num_attention_heads": 12,
                            "num_hidden_layers": 12, "max_position_embeddings": 77, "vocab_size": 49408,
                            "hidden_act": "quick_gelu", "layer_norm_eps": 1e-05, "eos_token_id": 2,
                            "projection_dim": 512},
            "vision_config": {"hidden_size": 1024}})"),
                                                     QStringLiteral("config.json"));
        QCOMPARE(config.hiddenSize, 768);
        QCOMPARE(config.intermediateSize, 3072);
        QCOMPARE(config.numAttentionHeads, 12);
        QCOMPARE(config.headDim(), 64);
        QCOMPARE(config.projectionDim, 768);
        QCOMPARE(config.eosTokenId, 2);
        QVERIFY(config.poolsAtLargestId());
        QVERIFY2(config.describe().contains(QLatin1String("width 768")), qPrintable(config.describe()));
    }

    void absentFieldsTakeHuggingFacesDefaults()
    {
        for (const char *text :
             {R"({"text_config": {}})", R"({"model_type": "clip"})", R"({"model_type": "clip_text_model"})"}) {
            const auto c = ClipTextConfig::fromJson(json(text), QStringLiteral("config.json"));
            QCOMPARE(c.vocabSize, 49408);
            QCOMPARE(c.hiddenSize, 512);
            QCOMPARE(c.intermediateSize, 2048);
            QCOMPARE(c.numHiddenLayers, 12);
            QCOMPARE(c.numAttentionHeads, 8);
            QCOMPARE(c.maxPositionEmbeddings, 77);
            QCOMPARE(c.hiddenAct, QStringLiteral("quick_gelu"));
            QCOMPARE(c.layerNormEps, 1e-5);
            // CLIPTextConfig's default since transformers 4.31: the real end token.
            QCOMPARE(c.eosTokenId, 49407);
            QVERIFY(!c.poolsAtLargestId());
            QCOMPARE(c.projectionDim, 512);
        }
    }

    void readsACLIPTextConfigItself()
    {
        const auto c = ClipTextConfig::fromJson(
            json(R"({"model_type": "clip_text_model", "hidden_size": 64, "num_attention_heads": 4,
                     "projection_dim": 32, "eos_token_id": 49407, "hidden_act": "gelu"})"),
            QStringLiteral("config.json"));
        QCOMPARE(c.hiddenSize, 64);
        QCOMPARE(c.projectionDim, 32);
        QCOMPARE(c.hiddenAct, QStringLiteral("gelu"));
        QCOMPARE(c.eosTokenId, 49407);
    }

    void saysWhetherAConfigHasATextTower()
    {
        QVERIFY(ClipTextConfig::present(json(R"({"model_type": "clip", "text_config": {}})")));
        QVERIFY(ClipTextConfig::present(json(R"({"text_config": {"hidden_size": 512}})")));
        QVERIFY(ClipTextConfig::present(json(R"({"model_type": "clip_text_model"})")));
        QVERIFY(!ClipTextConfig::present(json(R"({"model_type": "clip_vision_model", "hidden_size": 768})")));
        QVERIFY(!ClipTextConfig::present(json(R"({"hidden_size": 768, "patch_size": 32})")));
        const auto message = test::errorOf([] {
            ClipTextConfig::fromJson(json(R"({"model_type": "clip_vision_model"})"), QStringLiteral("v/config.json"));
        });
        QVERIFY2(message.startsWith(QLatin1String("v/config.json")) && message.contains(QLatin1String("no CLIP text")),
                 qPrintable(message));
    }

    void inconsistentConfigsNameTheFileAndField()
    {
        const QString file = QStringLiteral("m/config.json");
        const auto errorFor = [&](const char *text) {
            return test::errorOf([&] { ClipTextConfig::fromJson(json(text), file); });
        };
        const struct
        {
            const char *json;
            const char *expected;
        } cases[] = {
            {R"({"text_config": {"hidden_size": 100, "num_attention_heads": 8}})", "not a multiple"},
            {R"({"text_config": {"num_hidden_layers": 100000}})", "num_hidden_layers"},
            {R"({"text_config": {"hidden_size": -4}})", "hidden_size"},
            {R"({"text_config": {"vocab_size": 12.5}})", "vocab_size"},
            {R"({"text_config": {"max_position_embeddings": 1000000}})", "max_position_embeddings"},
            {R"({"text_config": {"hidden_act": "relu"}})", "relu"},
            {R"({"text_config": {"layer_norm_eps": 0}})", "layer_norm_eps"},
            {R"({"text_config": {"vocab_size": 100, "eos_token_id": 100}})", "outside the vocabulary"},
            {R"({"text_config": {"eos_token_id": -1}})", "eos_token_id"},
            {R"({"text_config": [1, 2]})", "must be an object"},
            {R"({"text_config": {}, "projection_dim": 0})", "projection_dim"},
        };
        for (const auto &c : cases) {
            const auto message = errorFor(c.json);
            QVERIFY2(message.startsWith(file) && message.contains(QLatin1String(c.expected)),
                     qPrintable(QStringLiteral("%1 -> '%2'").arg(QLatin1String(c.json), message)));
        }
        // The legacy 2 is a pooling rule, valid with any vocabulary.
        QVERIFY(errorFor(R"({"text_config": {"vocab_size": 2, "eos_token_id": 2}})").isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestClipTextModel)
#include "test_clip_text_model.moc"
