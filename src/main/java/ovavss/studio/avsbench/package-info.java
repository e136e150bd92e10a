/**
 * AVSBench files: readers and writers of the semantic (AVSS) and S4/MS3 layouts, the palette,
 * metadata.csv, label2idx.json, label PNGs and wavs, safe names, and the official metrics.
 */
package ovavss.studio.avsbench;
