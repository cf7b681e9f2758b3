package dev.resilience.core;

import java.util.List;
import java.util.Objects;

/**
 * The one rule every policy uses to sort failures: a throwable is {@link Verdict#EXCLUDED} when its class
 * is (a subclass of) an excluded class, else {@link Verdict#INCLUDED} when it is (a subclass of) an
 * included class or when no included classes are given, else {@link Verdict#NOT_INCLUDED}. Exclusion wins.
 *
 * <p>Breakers use it for record/ignore exceptions, retries for retry/ignore exceptions and fallbacks for
 * applyOn/skipOn. The verdict is computed once per exception class and cached.
 */
public final class ExceptionClassifier {

    /** How a failure is classified. */
    public enum Verdict { INCLUDED, NOT_INCLUDED, EXCLUDED }

    private static final ExceptionClassifier ALL = new ExceptionClassifier(List.of(), List.of());

    private final List<Class<? extends Throwable>> included;
    private final List<Class<? extends Throwable>> excluded;
    private final ClassValue<Verdict> verdicts = new ClassValue<>() {
        @Override
        protected Verdict computeValue(Class<?> type) {
            return compute(type);
        }
    };

    private ExceptionClassifier(List<Class<? extends Throwable>> included, List<Class<? extends Throwable>> excluded) {
        this.included = List.copyOf(included);
        this.excluded = List.copyOf(excluded);
    }

    /**
     * @param included classes that count; empty means every throwable
     * @param excluded classes that never count; wins over {@code included}
     */
    public static ExceptionClassifier of(List<Class<? extends Throwable>> included,
            List<Class<? extends Throwable>> excluded) {
        Objects.requireNonNull(included, "included");
        Objects.requireNonNull(excluded, "excluded");
        return included.isEmpty() && excluded.isEmpty() ? ALL : new ExceptionClassifier(included, excluded);
    }

    /** Includes every throwable, excludes none. */
    public static ExceptionClassifier all() {
        return ALL;
    }

    public Verdict classify(Throwable failure) {
        return verdicts.get(failure.getClass());
    }

    public boolean includes(Throwable failure) {
        return classify(failure) == Verdict.INCLUDED;
    }

    public List<Class<? extends Throwable>> included() {
        return included;
    }

    public List<Class<? extends Throwable>> excluded() {
        return excluded;
    }

    private Verdict compute(Class<?> type) {
        for (Class<? extends Throwable> candidate : excluded) {
            if (candidate.isAssignableFrom(type)) {
                return Verdict.EXCLUDED;
            }
        }
        if (included.isEmpty()) {
            return Verdict.INCLUDED;
        }
        for (Class<? extends Throwable> candidate : included) {
            if (candidate.isAssignableFrom(type)) {
                return Verdict.INCLUDED;
            }
        }
        return Verdict.NOT_INCLUDED;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExceptionClassifier that && included.equals(that.included)
                && excluded.equals(that.excluded);
    }

    @Override
    public int hashCode() {
        return included.hashCode() * 31 + excluded.hashCode();
    }

    @Override
    public String toString() {
        return "included=" + (included.isEmpty() ? "all" : included) + ", excluded=" + excluded;
    }
}
