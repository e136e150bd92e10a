package ovavss.studio.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyIoTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryDtype() throws IOException {
        float[] f = {1.5f, -2f, 3.25f, 0f, 7f, 8f};
        NpyIo.write(dir.resolve("f.npy"), f, 2, 3);
        NpyIo.Array a = NpyIo.read(dir.resolve("f.npy"));
        assertEquals(NpyIo.DType.FLOAT32, a.dtype());
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(f, a.asFloats());

        long[] l = {Long.MIN_VALUE, -1, 0, 1L << 40};
        NpyIo.write(dir.resolve("l.npy"), NpyIo.Array.of(l, 4));
        assertArrayEquals(l, NpyIo.read(dir.resolve("l.npy")).asLongs());

        byte[] u = {0, 1, (byte) 200, (byte) 255};
        NpyIo.write(dir.resolve("u.npy"), NpyIo.Array.ofUint8(u, 2, 1, 2));
        NpyIo.Array ua = NpyIo.read(dir.resolve("u.npy"));
        assertEquals(255.0, ua.get(3));
        assertArrayEquals(new int[] {2, 1, 2}, ua.shape());

        NpyIo.write(dir.resolve("s.npy"), NpyIo.Array.of(new double[] {Math.PI}));
        NpyIo.Array scalar = NpyIo.read(dir.resolve("s.npy"));
        assertEquals(0, scalar.rank());
        assertEquals(Math.PI, scalar.asDoubles()[0]);
    }

    @Test
    void headerIsNumpyCompatible() throws IOException {
        byte[] bytes = NpyIo.encode(NpyIo.Array.of(new float[3], 3));
        assertEquals(128 + 12, bytes.length);
        int headerEnd = 10 + ((bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8);
        assertEquals(0, headerEnd % 64, "numpy aligns the data to 64 bytes");
        String header = new String(bytes, 10, headerEnd - 10, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), header);
        assertTrue(header.endsWith("\n"));
    }

    @Test
    void writesThreeDimensionalExamples() throws IOException {
        float[][][] ex = new float[2][96][64];
        ex[1][95][63] = 42f;
        NpyIo.write(dir.resolve("ex.npy"), ex);
        NpyIo.Array a = NpyIo.read(dir.resolve("ex.npy"));
        assertArrayEquals(new int[] {2, 96, 64}, a.shape());
        assertEquals(42f, a.asFloats()[2 * 96 * 64 - 1]);
    }

    @Test
    void rejectsBadInputWithAMessage() throws IOException {
        Path bad = dir.resolve("bad.npy");
        Files.write(bad, "hello world, not numpy".getBytes(StandardCharsets.US_ASCII));
        IOException e = assertThrows(IOException.class, () -> NpyIo.read(bad));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
        byte[] ok = NpyIo.encode(NpyIo.Array.of(new float[4], 4));
        Files.write(bad, java.util.Arrays.copyOf(ok, ok.length - 2));
        assertThrows(IOException.class, () -> NpyIo.read(bad));
        assertThrows(IllegalArgumentException.class, () -> NpyIo.Array.of(new float[5], 2, 3));
        byte[] fortran = new String(ok, StandardCharsets.ISO_8859_1).replace("False", "True ")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(IllegalArgumentException.class, () -> NpyIo.decode(fortran));
    }
}
