package ovavss.studio.annotation;

/** Where a mask came from: a model prediction or a human edit. */
public enum Provenance {
    MODEL, HUMAN
}
