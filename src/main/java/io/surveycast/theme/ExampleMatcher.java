package io.surveycast.theme;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Compares comments with the themes' example sentences through a sentence-embedding model that
 * runs in this JVM (all-MiniLM-L6-v2, quantized, ONNX; the model ships inside a Maven jar, nothing
 * is downloaded and nothing leaves the process). The model is loaded once per process.
 */
final class ExampleMatcher {
    /** The cosine similarity from which a comment is tagged with the theme of its closest example. */
    static final double DEFAULT_THRESHOLD = 0.5;
    /** Texts longer than this are cut before embedding: the model reads 256 word pieces at most. */
    private static final int MAX_CHARS = 1000;
    /**
     * Comments embedded per call of the model (which spreads a call over one thread per core): a
     * batch being stopped is abandoned between two calls, so it never waits for a whole batch.
     */
    private static final int CHUNK = Math.max(32, 4 * Runtime.getRuntime().availableProcessors());

    private static final class Model {
        static final EmbeddingModel INSTANCE = new AllMiniLmL6V2QuantizedEmbeddingModel();
    }

    private record Example(String theme, float[] vector) {
    }

    private final List<Example> examples = new ArrayList<>();
    private final double threshold;

    ExampleMatcher(List<ThemeDefinition> themes, double threshold) {
        this.threshold = threshold;
        List<String> texts = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (ThemeDefinition theme : themes) {
            for (String example : theme.examples()) {
                texts.add(example);
                owners.add(theme.key());
            }
        }
        List<float[]> vectors = embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            examples.add(new Example(owners.get(i), vectors.get(i)));
        }
    }

    /** Loads the model (about a second), so that the first batch of comments does not wait for it. */
    static void warmUp() {
        Model.INSTANCE.embed("warm up");
    }

    /**
     * For each comment, the themes whose closest example is at least the threshold similar, with
     * that similarity; best first.
     *
     * @param stopping checked before each call of the model; true throws {@link ThemeTagging.TaggingStopped}
     */
    List<Map<String, Float>> match(List<String> comments, BooleanSupplier stopping) {
        List<Map<String, Float>> results = new ArrayList<>();
        if (examples.isEmpty()) {
            comments.forEach(c -> results.add(Map.of()));
            return results;
        }
        List<float[]> vectors = new ArrayList<>();
        for (int from = 0; from < comments.size(); from += CHUNK) {
            if (stopping.getAsBoolean()) {
                throw new ThemeTagging.TaggingStopped();
            }
            vectors.addAll(embed(comments.subList(from, Math.min(comments.size(), from + CHUNK))));
        }
        for (float[] vector : vectors) {
            Map<String, Float> best = new LinkedHashMap<>();
            for (Example example : examples) {
                float similarity = dot(vector, example.vector());
                best.merge(example.theme(), similarity, Math::max);
            }
            Map<String, Float> above = new LinkedHashMap<>();
            best.entrySet().stream().filter(e -> e.getValue() >= threshold)
                    .sorted(Map.Entry.<String, Float>comparingByValue().reversed())
                    .forEach(e -> above.put(e.getKey(), e.getValue()));
            results.add(above);
        }
        return results;
    }

    private static List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = texts.stream()
                .map(t -> TextSegment.from(t.length() > MAX_CHARS ? t.substring(0, MAX_CHARS) : t)).toList();
        List<float[]> vectors = new ArrayList<>();
        for (Embedding embedding : Model.INSTANCE.embedAll(segments).content()) {
            vectors.add(normalized(embedding.vector()));
        }
        return vectors;
    }

    private static float[] normalized(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * scale;
        }
        return out;
    }

    private static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
