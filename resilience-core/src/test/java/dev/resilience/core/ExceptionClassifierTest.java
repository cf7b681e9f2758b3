package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExceptionClassifierTest {

    @Test
    void includesEverythingWhenNoClassIsListed() {
        ExceptionClassifier classifier = ExceptionClassifier.of(List.of(), List.of());

        assertThat(classifier.classify(new IllegalStateException())).isEqualTo(ExceptionClassifier.Verdict.INCLUDED);
        assertThat(classifier.classify(new Error())).isEqualTo(ExceptionClassifier.Verdict.INCLUDED);
    }

    @Test
    void matchesSubclassesOfListedClasses() {
        ExceptionClassifier classifier = ExceptionClassifier.of(List.of(IOException.class), List.of());

        assertThat(classifier.classify(new FileNotFoundException())).isEqualTo(ExceptionClassifier.Verdict.INCLUDED);
        assertThat(classifier.classify(new IllegalStateException()))
                .isEqualTo(ExceptionClassifier.Verdict.NOT_INCLUDED);
    }

    @Test
    void exclusionWinsOverInclusion() {
        ExceptionClassifier classifier = ExceptionClassifier.of(List.of(IOException.class),
                List.of(FileNotFoundException.class));

        assertThat(classifier.classify(new FileNotFoundException())).isEqualTo(ExceptionClassifier.Verdict.EXCLUDED);
        assertThat(classifier.classify(new IOException())).isEqualTo(ExceptionClassifier.Verdict.INCLUDED);
        assertThat(classifier.classify(new UncheckedIOException(new IOException())))
                .isEqualTo(ExceptionClassifier.Verdict.NOT_INCLUDED);
    }
}
