package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keeps a call that failed and makes it again later: the invocation (bean, method, arguments as JSON) is stored in
 * the application's database and replayed with backoff until it succeeds, until {@code max-attempts} or
 * {@code max-age} of {@code resilience.retry-later.instances.<name>} is reached (it is then kept as dead), or until
 * an operator discards it. Needs the module {@code dev.resilience:resilience-deferred} and a {@code DataSource}.
 *
 * <p>Only for methods returning {@code void} or {@code CompletionStage<Void>} (or {@code CompletableFuture<Void>}):
 * the caller cannot wait for an answer that may come days later. The call first runs through the method's other
 * policies (retry, breaker, bulkhead, ...); what they still let fail, or reject, is stored, and the caller returns
 * normally unless {@code propagate-failure} is set. Delivery is at least once: a replayed method reads
 * {@code dev.resilience.deferred.DeferredCall.current().id()} to de-duplicate.
 *
 * <pre>{@code
 * @RetryLater("notifications")
 * @CircuitBreaker("mail")
 * public void send(Notification notification) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RetryLater {

    /** The instance name; alias of {@link #name()}. */
    String value() default "";

    /** The instance name; alias of {@link #value()}. */
    String name() default "";
}
