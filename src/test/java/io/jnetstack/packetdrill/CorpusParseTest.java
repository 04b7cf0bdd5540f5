package io.jnetstack.packetdrill;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every script of the corpus (read from ../shared, never copied here) parses. */
class CorpusParseTest {
    @Test void everyCorpusScriptParses() throws Exception {
        assumeTrue(Corpus.present(), "packetdrill corpus not found at " + Corpus.root());
        List<Path> scripts = Corpus.scripts();
        assertEquals(177, scripts.size(), "corpus size");
        List<String> errors = new ArrayList<>();
        for (Path p : scripts) {
            try {
                Parser.parse(p);
            } catch (ParseException e) {
                errors.add(p + ":" + e.getMessage());
            }
        }
        assertEquals(List.of(), errors);
    }
}
