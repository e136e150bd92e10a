"""The papers' other two analysis methods on the demo world: SeAC (segment, associate, classify —
trained without audio-visual masks) and OpenAVS (audio → text → masks). See ../../README.md and
the shared METHODS notes; each method's reference post-processing lives beside its modules."""
