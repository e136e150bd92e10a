package ovavss.studio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * DJL translator from plain Java tensors to plain Java tensors. Native arrays are created in the
 * predictor context's manager and copied out before the context closes, so each
 * {@code predict} frees everything it allocated.
 */
final class ArrayTranslator implements NoBatchifyTranslator<HostTensor.Batch, HostTensor.Batch> {
    @Override
    public NDList processInput(TranslatorContext ctx, HostTensor.Batch batch) {
        List<HostTensor> input = batch.tensors();
        NDManager m = ctx.getNDManager();
        NDList list = new NDList(input.size());
        for (HostTensor t : input) {
            Shape shape = new Shape(t.shape());
            NDArray a = t.floats() != null
                    ? m.create(FloatBuffer.wrap(t.floats()), shape, DataType.FLOAT32)
                    : m.create(LongBuffer.wrap(t.longs()), shape, DataType.INT64);
            list.add(a);
        }
        return list;
    }

    @Override
    public HostTensor.Batch processOutput(TranslatorContext ctx, NDList list) {
        List<HostTensor> out = new ArrayList<>(list.size());
        for (NDArray a : list) {
            NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
            out.add(HostTensor.of(f.toFloatArray(), a.getShape().getShape()));
        }
        return new HostTensor.Batch(out);
    }
}
