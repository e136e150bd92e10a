package ovavss.studio.app.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import ovavss.studio.annotation.Project;
import ovavss.studio.avsbench.AvsbenchException;
import ovavss.studio.avsbench.AvsbenchExporter;
import ovavss.studio.avsbench.ExportMarker;
import ovavss.studio.avsbench.LabelSet;
import ovavss.studio.avsbench.MetadataCsv;
import ovavss.studio.files.AtomicFiles;
import ovavss.studio.files.FileTrees;
import ovavss.studio.files.StagedFolder;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;

/**
 * {@code export --merge-into <root>}: a corrected project written back into the AVSBench-semantic
 * dataset it came from. The project is first exported whole beside the root (nothing in the root
 * changes if that fails or is cancelled); then each of its clips replaces the root's folder of the
 * same {@code <label>/<uid>}: the new folder gets whatever the old one held that the export does not
 * write, is built next to it and swapped in by two renames (the old folder is deleted afterwards);
 * last, {@code metadata.csv} is rewritten with the project's rows in place of theirs (every other
 * row as it was, in its order; new clips at the end) and {@code label2idx.json} only if the
 * project's classes extend it. Clips and files of the root that are not in the project are untouched.
 */
public final class DatasetMerge {
    private DatasetMerge() {
    }

    /** What a merge did. */
    public record Summary(int replaced, int added, AvsbenchExporter.Summary export) {
    }

    /**
     * Merges {@code project} into {@code root}.
     *
     * @param request the export request; its {@code out} is ignored (a staging folder beside the
     *                root is used) and its layout must be semantic
     * @throws ExportException when the root is no AVSBench-semantic root, or the request is not semantic
     */
    public static Summary run(Project project, Path projectFolder, Path root, ProjectExport.Request request,
                              ProgressSink progress, Cancellation cancel) throws IOException {
        Path abs = root.toAbsolutePath().normalize();
        if (request.layout() != ProjectExport.Layout.SEMANTIC) {
            throw new ExportException("--merge-into writes the AVSBench-semantic layout only");
        }
        if (!Files.isDirectory(abs) || !Files.isRegularFile(abs.resolve("metadata.csv"))) {
            throw new ExportException("--merge-into: " + root + " is no AVSBench-semantic root (no metadata.csv)");
        }
        MetadataCsv.Result old;
        try {
            ExportMarker.checkComplete(abs);
            old = MetadataCsv.read(abs.resolve("metadata.csv"));
        } catch (AvsbenchException e) {
            throw new ExportException("--merge-into: " + e.getMessage(), e);
        }
        if (projectFolder != null && abs.startsWith(projectFolder.toAbsolutePath().normalize())) {
            throw new ExportException("--merge-into: " + root + " lies inside the project folder");
        }
        Path staging = abs.resolveSibling("." + abs.getFileName() + ".merge-" + UUID.randomUUID());
        ProjectExport.Request toStaging = new ProjectExport.Request(staging, request.layout(), request.size(),
                request.frames(), request.audio(), request.threads());
        AvsbenchExporter.Summary exported = ProjectExport.run(project, null, toStaging, progress, cancel);
        try {
            cancel.check();
            MetadataCsv.Result fresh = MetadataCsv.read(staging.resolve("metadata.csv"));
            Map<String, MetadataCsv.Row> rowOf = new LinkedHashMap<>();
            for (MetadataCsv.Row r : fresh.rows()) {
                rowOf.put(r.uid(), r);
            }
            int replaced = 0;
            int added = 0;
            // from here on the root changes clip by clip; a cancel is no longer honoured
            for (MetadataCsv.Row r : fresh.rows()) {
                Path from = staging.resolve(r.label()).resolve(r.uid());
                Path to = abs.resolve(r.label()).resolve(r.uid());
                if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
                    keepWhatTheExportDoesNotWrite(to, from);
                    swap(from, to);
                    replaced++;
                } else {
                    Files.createDirectories(to.getParent());
                    Files.move(from, to);
                    added++;
                }
            }
            List<MetadataCsv.Row> rows = new ArrayList<>();
            for (MetadataCsv.Row r : old.rows()) {
                MetadataCsv.Row mine = rowOf.remove(r.uid());
                rows.add(mine != null ? mine : r);
            }
            rows.addAll(rowOf.values());
            Path csvTmp = Files.createTempFile(abs, ".metadata.csv", ".tmp");
            MetadataCsv.write(csvTmp, rows);
            AtomicFiles.move(csvTmp, abs.resolve("metadata.csv"));
            Path l2i = abs.resolve("label2idx.json");
            LabelSet exportedLabels = LabelSet.read(staging.resolve("label2idx.json"));
            if (!Files.isRegularFile(l2i) || !LabelSet.read(l2i).equals(exportedLabels)) {
                Path tmp = Files.createTempFile(abs, ".label2idx.json", ".tmp");
                exportedLabels.write(tmp);
                AtomicFiles.move(tmp, l2i);
            }
            return new Summary(replaced, added, exported);
        } finally {
            FileTrees.delete(staging);
        }
    }

    /** Copies into the new clip folder every file of the old one that the new one lacks. */
    private static void keepWhatTheExportDoesNotWrite(Path oldClip, Path newClip) throws IOException {
        try (Stream<Path> s = Files.walk(oldClip)) {
            for (Path p : s.toList()) {
                Path target = newClip.resolve(oldClip.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    /**
     * Puts {@code replacement} where {@code clip} is: moved next to it first (same folder, so the
     * renames do not copy), then the old folder renamed away and the new one renamed in. A reader
     * sees the old clip or the new one, except in the instant between the two renames.
     */
    private static void swap(Path replacement, Path clip) throws IOException {
        Path parent = clip.getParent();
        String name = clip.getFileName().toString();
        Path next = parent.resolve("." + name + ".new-" + UUID.randomUUID());
        Path gone = parent.resolve("." + name + ".old-" + UUID.randomUUID());
        Files.move(replacement, next);
        Files.move(clip, gone, StandardCopyOption.ATOMIC_MOVE);
        Files.move(next, clip, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.delete(gone);
    }
}
