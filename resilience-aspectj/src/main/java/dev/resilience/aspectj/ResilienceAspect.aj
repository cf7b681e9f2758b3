package dev.resilience.aspectj;

import dev.resilience.autoconfigure.aop.PipelineFactory;

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
 * <p>A code-style aspect, so that a call makes no AspectJ join point object: an annotation-style advice takes a
 * {@code ProceedingJoinPoint}, which ajc makes on every call (and since AspectJ 1.9.21 with a {@code ThreadLocal}
 * whose creation increments one JVM-wide counter, a point of contention for every thread). Here each advice binds
 * the executing object and the arguments, and only the static part of the join point (a constant of the woven
 * class) is read. Methods of up to three parameters get an advice of their arity; a method of more reads its
 * arguments from {@code thisJoinPoint}, paying for the join point object then.
 *
 * <p>The aspect is one per class loader, and takes its pipelines from the Spring context that last became
 * ready in AspectJ mode ({@link ResilienceAspectBinding}). Before that, a woven call runs unguarded, and the
 * first such call logs a warning; in proxy mode woven code passes every call straight on, so nothing is guarded
 * twice.
 */
public aspect ResilienceAspect {

    private static volatile JoinPointPipelines pipelines = JoinPointPipelines.unbound();

    /** An instance method that carries a policy annotation itself. */
    pointcut annotatedMethod(): execution(@(dev.resilience.annotation.CircuitBreaker
            || dev.resilience.annotation.Retry || dev.resilience.annotation.Fallback
            || dev.resilience.annotation.Bulkhead || dev.resilience.annotation.RateLimiter
            || dev.resilience.annotation.Timeout || dev.resilience.annotation.Degradable
            || dev.resilience.annotation.LastKnownGood) !static * *(..));

    /** A public instance method declared by a class that carries a policy annotation. */
    pointcut methodOfAnnotatedClass(): execution(public !static * (@(dev.resilience.annotation.CircuitBreaker
            || dev.resilience.annotation.Retry || dev.resilience.annotation.Fallback
            || dev.resilience.annotation.Bulkhead || dev.resilience.annotation.RateLimiter
            || dev.resilience.annotation.Timeout || dev.resilience.annotation.Degradable
            || dev.resilience.annotation.LastKnownGood) *).*(..));

    pointcut guarded(Object self): (annotatedMethod() || methodOfAnnotatedClass()) && this(self);

    Object around(Object self): guarded(self) && args() {
        JoinPointPipelines.Site site = pipelines.site(thisJoinPointStaticPart);
        if (site == null) {
            return proceed(self);
        }
        return site.pipeline().call(new WovenCall(site.method(), self) {
            @Override
            public Object proceed() throws Throwable {
                return proceed(self);
            }

            @Override
            public Object[] getArguments() {
                return NO_ARGUMENTS;
            }
        });
    }

    Object around(Object self, Object first): guarded(self) && args(first) {
        JoinPointPipelines.Site site = pipelines.site(thisJoinPointStaticPart);
        if (site == null) {
            return proceed(self, first);
        }
        return site.pipeline().call(new WovenCall(site.method(), self) {
            @Override
            public Object proceed() throws Throwable {
                return proceed(self, first);
            }

            @Override
            public Object[] getArguments() {
                return new Object[] {first};
            }
        });
    }

    Object around(Object self, Object first, Object second): guarded(self) && args(first, second) {
        JoinPointPipelines.Site site = pipelines.site(thisJoinPointStaticPart);
        if (site == null) {
            return proceed(self, first, second);
        }
        return site.pipeline().call(new WovenCall(site.method(), self) {
            @Override
            public Object proceed() throws Throwable {
                return proceed(self, first, second);
            }

            @Override
            public Object[] getArguments() {
                return new Object[] {first, second};
            }
        });
    }

    Object around(Object self, Object first, Object second, Object third):
            guarded(self) && args(first, second, third) {
        JoinPointPipelines.Site site = pipelines.site(thisJoinPointStaticPart);
        if (site == null) {
            return proceed(self, first, second, third);
        }
        return site.pipeline().call(new WovenCall(site.method(), self) {
            @Override
            public Object proceed() throws Throwable {
                return proceed(self, first, second, third);
            }

            @Override
            public Object[] getArguments() {
                return new Object[] {first, second, third};
            }
        });
    }

    /** Four parameters or more: the arguments come from the join point object, made for these calls only. */
    Object around(Object self): guarded(self) && args(*, *, *, *, ..) {
        JoinPointPipelines.Site site = pipelines.site(thisJoinPointStaticPart);
        if (site == null) {
            return proceed(self);
        }
        Object[] arguments = thisJoinPoint.getArgs();
        return site.pipeline().call(new WovenCall(site.method(), self) {
            @Override
            public Object proceed() throws Throwable {
                return proceed(self);
            }

            @Override
            public Object[] getArguments() {
                return arguments;
            }
        });
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
