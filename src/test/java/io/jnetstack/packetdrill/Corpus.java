package io.jnetstack.packetdrill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the packetdrill corpus lives: {@code -Djnetstack.shared=DIR}, default {@code <repo>/../shared}. */
final class Corpus {
    private Corpus() {}

    static Path root() {
        String shared = System.getProperty("jnetstack.shared");
        if (shared != null) return Path.of(shared).resolve("conformance").resolve("packetdrill");
        // <repo>/../shared; a git worktree nested one level deeper finds it further up.
        Path repo = Path.of("").toAbsolutePath();
        for (Path d = repo.getParent(); d != null; d = d.getParent()) {
            Path c = d.resolve("shared").resolve("conformance").resolve("packetdrill");
            if (Files.isDirectory(c)) return c;
        }
        return repo.getParent().resolve("shared").resolve("conformance").resolve("packetdrill");
    }

    static boolean present() { return Files.isDirectory(root().resolve("gtests")); }

    static List<Path> scripts() throws IOException {
        try (Stream<Path> s = Files.walk(root().resolve("gtests"))) {
            return s.filter(p -> p.toString().endsWith(".pkt")).sorted().toList();
        }
    }

    /** One of the runner's own test scripts ({@link OwnScripts}). */
    static Path own(String name) {
        return OwnScripts.path(name);
    }
}
