package dev.resilience.aspectj;

import dev.resilience.autoconfigure.aop.PipelineFactory;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.annotation.Pointcut;

/**
 * The policy annotations in AspectJ mode ({@code resilience.aop.mode=aspectj}): woven into the annotated
 * classes at compile time (ajc) or load time ({@code -javaagent:aspectjweaver.jar} with this module's
 * {@code META-INF/aop.xml}), it runs the same per-method pipeline as the proxy interceptor around the execution
 * of the method itself. So a bean calling its own method ({@code this.ask()}), a private method and an object
 * created with {@code new} are guarded too.
 *
 * <p>Matched: instance methods that carry a policy annotation (any visibility), and the public instance methods
 * of a class that carries one. Static methods are not matched (a fallback needs the instance).
 *
 * <p>The aspect is one per class loader, and takes its pipelines from the Spring context that last became
 * ready in AspectJ mode ({@link ResilienceAspectBinding}). Before that, a woven call runs unguarded, and the
 * first such call logs a warning; in proxy mode woven code passes every call straight on, so nothing is guarded
 * twice.
 */
@Aspect
public class ResilienceAspect {

    private static volatile JoinPointPipelines pipelines = JoinPointPipelines.unbound();

    /** An instance method that carries a policy annotation itself. */
    @Pointcut("execution(@(dev.resilience.annotation.CircuitBreaker || dev.resilience.annotation.Retry"
            + " || dev.resilience.annotation.Fallback || dev.resilience.annotation.Bulkhead"
            + " || dev.resilience.annotation.RateLimiter || dev.resilience.annotation.Timeout"
            + " || dev.resilience.annotation.Degradable || dev.resilience.annotation.LastKnownGood) !static * *(..))")
    void annotatedMethod() {
    }

    /** A public instance method declared by a class that carries a policy annotation. */
    @Pointcut("execution(public !static * (@(dev.resilience.annotation.CircuitBreaker || dev.resilience.annotation.Retry"
            + " || dev.resilience.annotation.Fallback || dev.resilience.annotation.Bulkhead"
            + " || dev.resilience.annotation.RateLimiter || dev.resilience.annotation.Timeout"
            + " || dev.resilience.annotation.Degradable || dev.resilience.annotation.LastKnownGood) *).*(..))")
    void methodOfAnnotatedClass() {
    }

    /** Runs the join point's pipeline, cached per join point after its first call. */
    @Around("annotatedMethod() || methodOfAnnotatedClass()")
    public Object guard(ProceedingJoinPoint call) throws Throwable {
        return pipelines.invoke(call);
    }

    /** Guards woven calls with {@code factory}'s pipelines from now on. */
    static void bind(Object owner, PipelineFactory factory) {
        pipelines = JoinPointPipelines.bound(owner, factory);
    }

    /** Lets woven calls pass straight on (proxy mode, where the proxies guard the beans). */
    static void passThrough(Object owner) {
        pipelines = JoinPointPipelines.passThrough(owner);
    }

    /** Forgets {@code owner}'s pipelines, if they are still the ones in use (its context is closing). */
    static void unbind(Object owner) {
        JoinPointPipelines current = pipelines;
        if (current.owner() == owner) {
            pipelines = JoinPointPipelines.unbound();
        }
    }
}
