/**
 * OV-AVSS through DJL: model bundle loading and checking, device choice, the four TorchScript
 * graphs behind plain-Java translators, tokenizers, prompt ensembling, the official
 * post-processing, and the single inference service with its live vocabulary. The only package
 * that touches {@code ai.djl}.
 */
package ovavss.studio.model;
