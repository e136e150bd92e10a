package ovavss.studio.model;

/**
 * The constants of the proposer-based methods, read from a bundle's {@code methods} entry.
 *
 * @param method SEAC or OPENAVS
 * @param minObjectness a proposer query takes part when softmax(objectness)[0] reaches this
 * @param topProposals and it is among this many most confident (the SeAC paper keeps 50 boxes)
 * @param lambdaLocal SeAC: weight of the local view in a mask's feature (paper: 0.6)
 * @param sigma SeAC: normalised-similarity threshold of the aggregation (paper: 0.9)
 * @param blurSigma SeAC: Gaussian blur of the global view's background, in resized-frame pixels
 * @param promptThreshold OpenAVS: a name is one of its second's prompts above this score
 * @param promptScale OpenAVS: score = sigmoid(scale · cos(audio, text) + bias)
 * @param promptBias OpenAVS: see {@code promptScale}
 * @param naming how proposals are named from the vocabulary
 * @param calibration how much base names are lowered when proposals are named
 * @param maskPooling SeAC: how a proposal's association vector meets its second's audio (null for OpenAVS)
 * @param silenceDb SeAC: a second quieter than this (dBFS) labels nothing; NaN: no gate (the paper)
 * @param heardNaming SeAC: weight α of each second's audio–text score of a name (computed with
 *                    {@code promptScale} and {@code promptBias}) added when a proposal is named;
 *                    0: CLIP alone (the paper)
 * @param heardGate SeAC: a labelled mask whose name its second scores below this (audio–text score,
 *                  as for heard naming) labels nothing; 0: no gate (the paper)
 */
public record MethodSettings(AnalysisMethod method, float minObjectness, int topProposals, float lambdaLocal,
                             float sigma, float blurSigma, float promptThreshold, float promptScale,
                             float promptBias, ProposalNaming naming, NameCalibration calibration,
                             MaskPooling maskPooling, float silenceDb, float heardNaming,
                             float heardGate) {
    /** Whether SeAC's silence gate keeps a second of this level (dBFS) from labelling anything. */
    public boolean silenced(float levelDb) {
        return !Float.isNaN(silenceDb) && levelDb < silenceDb;
    }

    /** Whether names are scored against each second's audio–text vector (SeAC's heard naming or gate). */
    public boolean hearsNames() {
        return method == AnalysisMethod.SEAC && (heardNaming > 0 || heardGate > 0);
    }

    /** The audio–text score of one name for one second from the cosine of their vectors. */
    public float promptScore(float cosine) {
        return (float) (1.0 / (1.0 + Math.exp(-(promptScale * cosine + promptBias))));
    }
}
