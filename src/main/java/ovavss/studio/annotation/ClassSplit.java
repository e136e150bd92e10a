package ovavss.studio.annotation;

/** Open-vocabulary role of a class: seen in training (base), unseen (novel), or not tagged. */
public enum ClassSplit {
    BASE, NOVEL, UNTAGGED
}
