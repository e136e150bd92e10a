package ovavss.studio.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ovavss.studio.files.AtomicFiles;

/**
 * Minimal reader and writer for NumPy {@code .npy} files (format versions 1.0–3.0 read, 1.0/2.0
 * written): little-endian, C order, dtypes float32 ({@code <f4}), float64 ({@code <f8}), int64
 * ({@code <i8}), int32 ({@code <i4}) and uint8 ({@code |u1}).
 *
 * <p>An array is a shape plus one flat primitive array in C (row-major) order; see {@link Array}.
 * Writes are atomic: the file is written next to the target and moved into place.
 */
public final class NpyIo {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyIo() {
    }

    /** Element types this class understands, with their NumPy {@code descr} strings. */
    public enum DType {
        FLOAT32("<f4", 4), FLOAT64("<f8", 8), INT64("<i8", 8), INT32("<i4", 4), UINT8("|u1", 1);

        private final String descr;
        private final int size;

        DType(String descr, int size) {
            this.descr = descr;
            this.size = size;
        }

        /** NumPy type string, e.g. {@code <f4}. */
        public String descr() {
            return descr;
        }

        /** Bytes per element. */
        public int size() {
            return size;
        }

        static DType fromDescr(String d) {
            for (DType t : values()) {
                if (t.descr.equals(d) || (t == UINT8 && (d.equals("<u1") || d.equals("u1")))) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unsupported .npy dtype '" + d
                    + "' (supported: <f4, <f8, <i8, <i4, |u1, little-endian only)");
        }
    }

    /**
     * An n-dimensional array: a shape and a flat C-order primitive array whose Java type matches
     * {@code dtype} ({@code float[]}, {@code double[]}, {@code long[]}, {@code int[]} or {@code byte[]}
     * for uint8, values 0–255 stored as signed bytes).
     */
    public record Array(DType dtype, int[] shape, Object data) {
        public Array {
            shape = shape.clone();
            long n = 1;
            for (int s : shape) {
                if (s < 0) {
                    throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
                }
                n *= s;
            }
            int len = java.lang.reflect.Array.getLength(data);
            if (len != n) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                        + " elements, data has " + len);
            }
            Class<?> expected = switch (dtype) {
                case FLOAT32 -> float[].class;
                case FLOAT64 -> double[].class;
                case INT64 -> long[].class;
                case INT32 -> int[].class;
                case UINT8 -> byte[].class;
            };
            if (data.getClass() != expected) {
                throw new IllegalArgumentException(dtype + " needs " + expected.getSimpleName());
            }
        }

        public static Array of(float[] data, int... shape) {
            return new Array(DType.FLOAT32, shape, data);
        }

        public static Array of(double[] data, int... shape) {
            return new Array(DType.FLOAT64, shape, data);
        }

        public static Array of(long[] data, int... shape) {
            return new Array(DType.INT64, shape, data);
        }

        public static Array of(int[] data, int... shape) {
            return new Array(DType.INT32, shape, data);
        }

        /** uint8 array; bytes are read as unsigned 0–255. */
        public static Array ofUint8(byte[] data, int... shape) {
            return new Array(DType.UINT8, shape, data);
        }

        /** Copy of the shape. */
        @Override
        public int[] shape() {
            return shape.clone();
        }

        public int dim(int axis) {
            return shape[axis];
        }

        public int rank() {
            return shape.length;
        }

        public int size() {
            return java.lang.reflect.Array.getLength(data);
        }

        /** The data as float32, converting from any other dtype. */
        public float[] asFloats() {
            if (data instanceof float[] f) {
                return f;
            }
            float[] out = new float[size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) get(i);
            }
            return out;
        }

        /** The data as float64, converting from any other dtype. */
        public double[] asDoubles() {
            if (data instanceof double[] d) {
                return d;
            }
            double[] out = new double[size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = get(i);
            }
            return out;
        }

        /** The data as int64, converting integer dtypes (floats are rejected). */
        public long[] asLongs() {
            if (data instanceof long[] l) {
                return l;
            }
            if (dtype == DType.FLOAT32 || dtype == DType.FLOAT64) {
                throw new IllegalStateException("array is " + dtype + ", not an integer type");
            }
            long[] out = new long[size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (long) get(i);
            }
            return out;
        }

        /** Element {@code i} of the flat data as a double (uint8 read unsigned). */
        public double get(int i) {
            return switch (dtype) {
                case FLOAT32 -> ((float[]) data)[i];
                case FLOAT64 -> ((double[]) data)[i];
                case INT64 -> ((long[]) data)[i];
                case INT32 -> ((int[]) data)[i];
                case UINT8 -> ((byte[]) data)[i] & 0xFF;
            };
        }
    }

    /** Writes a float32 array of the given shape. */
    public static void write(Path file, float[] data, int... shape) throws IOException {
        write(file, Array.of(data, shape));
    }

    /** Writes {@code [n][rows][cols]} as a float32 array of shape (n, rows, cols); all rows must be equally long. */
    public static void write(Path file, float[][][] data) throws IOException {
        int n = data.length;
        int rows = n == 0 ? 0 : data[0].length;
        int cols = rows == 0 ? 0 : data[0][0].length;
        float[] flat = new float[n * rows * cols];
        int k = 0;
        for (float[][] plane : data) {
            if (plane.length != rows) {
                throw new IllegalArgumentException("ragged array");
            }
            for (float[] row : plane) {
                if (row.length != cols) {
                    throw new IllegalArgumentException("ragged array");
                }
                System.arraycopy(row, 0, flat, k, cols);
                k += cols;
            }
        }
        write(file, Array.of(flat, n, rows, cols));
    }

    /** Writes an array atomically (temp file in the same directory, then move). */
    public static void write(Path file, Array array) throws IOException {
        AtomicFiles.write(file, encode(array), false);
    }

    /** Serialises an array to the bytes of a {@code .npy} file. */
    public static byte[] encode(Array array) {
        StringBuilder shape = new StringBuilder("(");
        int[] dims = array.shape;
        for (int i = 0; i < dims.length; i++) {
            shape.append(dims[i]);
            if (dims.length == 1 || i < dims.length - 1) {
                shape.append(dims.length == 1 ? "," : ", ");
            }
        }
        shape.append(')');
        String dict = "{'descr': '" + array.dtype.descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        // Header (magic + version + length field + dict + padding + '\n') must be a multiple of 64.
        int version = dict.length() + 1 + 10 > 65535 ? 2 : 1;
        int prefix = version == 1 ? 10 : 12;
        int total = prefix + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder header = new StringBuilder(dict);
        header.append(" ".repeat(pad)).append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        long payload = (long) array.size() * array.dtype.size;
        if (prefix + h.length + payload > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("array too large for one .npy buffer");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (prefix + h.length + payload)).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            buf.putShort((short) h.length);
        } else {
            buf.putInt(h.length);
        }
        buf.put(h);
        switch (array.dtype) {
            case FLOAT32 -> buf.asFloatBuffer().put((float[]) array.data);
            case FLOAT64 -> buf.asDoubleBuffer().put((double[]) array.data);
            case INT64 -> buf.asLongBuffer().put((long[]) array.data);
            case INT32 -> buf.asIntBuffer().put((int[]) array.data);
            case UINT8 -> buf.put((byte[]) array.data);
        }
        return buf.array();
    }

    /** Reads a {@code .npy} file. */
    public static Array read(Path file) throws IOException {
        try {
            return decode(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the bytes of a {@code .npy} file.
     *
     * @throws IllegalArgumentException when the bytes are not a supported .npy array
     */
    public static Array decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IllegalArgumentException("not a .npy file (bad magic)");
        }
        int major = bytes[6];
        buf.position(8);
        long headerLen = major == 1 ? (buf.getShort() & 0xFFFF) : (buf.getInt() & 0xFFFFFFFFL);
        if (major < 1 || major > 3) {
            throw new IllegalArgumentException("unsupported .npy version " + major);
        }
        if (buf.position() + headerLen > bytes.length) {
            throw new IllegalArgumentException("truncated .npy header");
        }
        String header = new String(bytes, buf.position(), (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        buf.position(buf.position() + (int) headerLen);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IllegalArgumentException("malformed .npy header: " + header.trim());
        }
        if (f.group(1).equals("True")) {
            throw new IllegalArgumentException("Fortran-order .npy arrays are not supported");
        }
        DType dtype = DType.fromDescr(d.group(1));
        List<Integer> dims = new ArrayList<>();
        long n = 1;
        for (String part : s.group(1).split(",")) {
            String t = part.trim().toUpperCase(Locale.ROOT).replace("L", "");
            if (!t.isEmpty()) {
                long v = Long.parseLong(t);
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("bad dimension " + v);
                }
                dims.add((int) v);
                n *= v;
            }
        }
        if (n * dtype.size != buf.remaining()) {
            throw new IllegalArgumentException("payload has " + buf.remaining() + " bytes, shape needs " + n * dtype.size);
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        int count = (int) n;
        Object data = switch (dtype) {
            case FLOAT32 -> { float[] a = new float[count]; buf.asFloatBuffer().get(a); yield a; }
            case FLOAT64 -> { double[] a = new double[count]; buf.asDoubleBuffer().get(a); yield a; }
            case INT64 -> { long[] a = new long[count]; buf.asLongBuffer().get(a); yield a; }
            case INT32 -> { int[] a = new int[count]; buf.asIntBuffer().get(a); yield a; }
            case UINT8 -> { byte[] a = new byte[count]; buf.get(a); yield a; }
        };
        return new Array(dtype, shape, data);
    }
}
