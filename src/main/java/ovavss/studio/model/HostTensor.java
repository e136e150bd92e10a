package ovavss.studio.model;

import java.util.Arrays;

/**
 * A plain-Java tensor crossing the model boundary: float32 or int64 data in row-major order
 * with its shape. Translators turn these into native arrays inside a predictor's own memory
 * scope and back, so no native memory outlives one call.
 */
record HostTensor(float[] floats, long[] longs, long[] shape) {
    public HostTensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        long len = floats != null ? floats.length : longs.length;
        if (len != n) {
            throw new IllegalArgumentException("data length " + len + " does not match shape " + Arrays.toString(shape));
        }
    }

    public static HostTensor of(float[] data, long... shape) {
        return new HostTensor(data, null, shape);
    }

    public static HostTensor ofLongs(long[] data, long... shape) {
        return new HostTensor(null, data, shape);
    }

    /** The inputs or outputs of one graph call, in order. */
    public record Batch(java.util.List<HostTensor> tensors) {
        public Batch {
            tensors = java.util.List.copyOf(tensors);
        }

        public static Batch of(HostTensor... t) {
            return new Batch(java.util.List.of(t));
        }

        public HostTensor get(int i) {
            return tensors.get(i);
        }

        public int size() {
            return tensors.size();
        }
    }

    @Override
    public String toString() {
        return (floats != null ? "float32" : "int64") + Arrays.toString(shape);
    }
}
