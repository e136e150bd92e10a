package ovavss.studio.annotation;

/**
 * One user-level edit: a pure function from a project to the edited project. Because projects are
 * immutable, undo only has to keep the previous instance ({@link EditHistory}).
 */
public interface EditCommand {
    /** Human-readable name for menus ("Paint mask", "Mark silent"). */
    String description();

    /**
     * @return the edited project
     * @throws AnnotationException when the edit does not apply (unknown clip, object or class)
     */
    Project apply(Project project);

    static EditCommand of(String description, java.util.function.UnaryOperator<Project> f) {
        return new EditCommand() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public Project apply(Project project) {
                return f.apply(project);
            }
        };
    }
}
