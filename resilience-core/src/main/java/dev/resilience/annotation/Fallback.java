package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * When the guarded call fails (after its retries, or because a breaker, bulkhead or other policy rejected
 * it), calls fallback methods in order until one succeeds.
 *
 * <p>A fallback is a method of the same bean class or a superclass, of any visibility, with the guarded
 * method's parameter types, optionally followed by one {@code Throwable}-typed parameter that receives the
 * failure (a fallback whose parameter type does not accept the failure is skipped). Its return type is
 * assignable to the guarded method's; for a method returning {@code CompletionStage}/{@code CompletableFuture}
 * it may return the value or a stage. A declaration that names a missing method or a method of the wrong
 * signature stops the application at startup.
 *
 * <pre>{@code
 * @Retry("llm")
 * @Fallback(method = {"askSecondary", "cachedAnswer"}, skipOn = IllegalArgumentException.class)
 * public String ask(String question) { ... }
 *
 * private String askSecondary(String question) { ... }
 * private String cachedAnswer(String question, Exception failure) { ... }
 * }</pre>
 *
 * <p>When every fallback fails, the last fallback's failure propagates, with the guarded method's failure
 * and each earlier fallback's failure added as suppressed exceptions. On a class, it applies to every public
 * method the class declares; a method's own {@code @Fallback} wins.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Fallback {

    /** The fallback method names, tried in order; alias of {@link #method()}. */
    String[] value() default {};

    /** The fallback method names, tried in order; alias of {@link #value()}. */
    String[] method() default {};

    /** Failures the fallbacks handle (subclasses included). */
    Class<? extends Throwable>[] applyOn() default Exception.class;

    /** Failures that propagate unchanged; wins over {@link #applyOn()}. */
    Class<? extends Throwable>[] skipOn() default {};
}
