package dev.resilience.aspectj;

import dev.resilience.autoconfigure.aop.InlinePipeline;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import org.aspectj.lang.JoinPoint;

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
 * <p>A call runs the pipeline of the method on the class of the object executing it, as the proxy runs the one of
 * the bean's class: a subclass's class-level annotations apply to a woven method it inherits.
 *
 * <p>A code-style aspect, so that a call makes no AspectJ join point object: an annotation-style advice takes a
 * {@code ProceedingJoinPoint}, which ajc makes on every call (and since AspectJ 1.9.21 with a {@code ThreadLocal}
 * whose creation increments one JVM-wide counter, a point of contention for every thread). Here each advice binds
 * the executing object and the arguments, and only the static part of the join point (a constant of the woven
 * class) is read. Methods of up to three parameters get advice of their arity; a method of more reads its
 * arguments from {@code thisJoinPoint}, paying for the join point object then.
 *
 * <p>Two advice per arity, of which a method gets one. The inline advice runs a synchronous pipeline's {@link
 * dev.resilience.autoconfigure.aop.InlinePipeline inline form} and calls {@code proceed} in its own body, so ajc
 * copies it into each woven method: no closure, no per-call allocation, and the JIT profiles each method's copy on
 * its own (a shared advice method is compiled big once and then not inlined into the woven methods). The closure
 * advice runs the pipelines that have no inline form through a {@link WovenCall}: it is woven instead where the
 * method's declaration tells that its pipeline has none (its return type, a {@code @Timeout} or
 * {@code @LastKnownGood} on the method or its class), and into every method of four parameters or more.
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

    /**
     * A method whose return type alone tells that its pipeline is not synchronous (a {@code CompletionStage} or
     * Reactor's). {@code JoinPointPipelines.returnsLater} states the same types.
     */
    pointcut returnsLater(): execution((java.util.concurrent.CompletionStage || java.util.concurrent.CompletableFuture
            || reactor.core.publisher.* || org.reactivestreams.*) *(..));

    /**
     * A method whose own annotations, or those of a type declaring it (its class, a supertype whose method it
     * overrides), ask for a policy that needs the call as an object: a timeout (the method runs on a worker) or a
     * last-known-good answer (its key reads the invocation). {@code JoinPointPipelines.needsClosure} states the same.
     */
    pointcut timedOrStored(): execution(@(dev.resilience.annotation.Timeout
            || dev.resilience.annotation.LastKnownGood) * *(..))
            || execution(* (@(dev.resilience.annotation.Timeout || dev.resilience.annotation.LastKnownGood) *).*(..));

    /**
     * A call whose pipeline runs through AspectJ's closure. Decided by the method's declaration alone, so that the
     * methods of every other site carry no closure class (which the JVM loads and verifies with the woven class).
     */
    pointcut closed(): returnsLater() || timedOrStored();

    // The inline advice, one per number of arguments up to three: it calls proceed in its own body, so ajc inlines it
    // into each woven method, and a call makes no closure and no argument array (one is made for the fallback of a
    // failed call). Its steps are the policies' own calls, in the pipeline's order (see InlinePipeline), observed as
    // the proxy's pipeline observes a call.

    Object around(Object self): guarded(self) && args() && !closed() {
        InlinePipeline inline = inline(thisJoinPointStaticPart, self);
        if (inline == null) {
            return proceed(self);
        }
        Object observation = inline.observe();
        Object answer;
        call: try {
            long begun = inline.begin();
            for (int attempt = 1;; attempt++) {
                Object result;
                boolean rejected;
                try {
                    Object permit = inline.permit();
                    long started = inline.started();
                    try {
                        boolean held = inline.enter();
                        try {
                            result = proceed(self);
                        } finally {
                            inline.leave(held);
                        }
                    } catch (Throwable failure) {
                        inline.failed(permit, started, failure);
                        throw failure;
                    }
                    rejected = inline.succeeded(permit, started, result);
                } catch (Throwable failure) {
                    inline.retryAfter(attempt, begun, failure);
                    continue;
                }
                if (inline.answers(rejected, attempt, begun)) {
                    answer = result;
                    break call;
                }
            }
        } catch (Throwable failure) {
            answer = inline.recover(self, WovenCall.NO_ARGUMENTS, failure, observation);
        }
        return inline.end(observation, answer);
    }

    Object around(Object self, Object first): guarded(self) && args(first) && !closed() {
        InlinePipeline inline = inline(thisJoinPointStaticPart, self);
        if (inline == null) {
            return proceed(self, first);
        }
        Object observation = inline.observe();
        Object answer;
        call: try {
            long begun = inline.begin();
            for (int attempt = 1;; attempt++) {
                Object result;
                boolean rejected;
                try {
                    Object permit = inline.permit();
                    long started = inline.started();
                    try {
                        boolean held = inline.enter();
                        try {
                            result = proceed(self, first);
                        } finally {
                            inline.leave(held);
                        }
                    } catch (Throwable failure) {
                        inline.failed(permit, started, failure);
                        throw failure;
                    }
                    rejected = inline.succeeded(permit, started, result);
                } catch (Throwable failure) {
                    inline.retryAfter(attempt, begun, failure);
                    continue;
                }
                if (inline.answers(rejected, attempt, begun)) {
                    answer = result;
                    break call;
                }
            }
        } catch (Throwable failure) {
            answer = inline.recover(self, new Object[] {first}, failure, observation);
        }
        return inline.end(observation, answer);
    }

    Object around(Object self, Object first, Object second): guarded(self) && args(first, second) && !closed() {
        InlinePipeline inline = inline(thisJoinPointStaticPart, self);
        if (inline == null) {
            return proceed(self, first, second);
        }
        Object observation = inline.observe();
        Object answer;
        call: try {
            long begun = inline.begin();
            for (int attempt = 1;; attempt++) {
                Object result;
                boolean rejected;
                try {
                    Object permit = inline.permit();
                    long started = inline.started();
                    try {
                        boolean held = inline.enter();
                        try {
                            result = proceed(self, first, second);
                        } finally {
                            inline.leave(held);
                        }
                    } catch (Throwable failure) {
                        inline.failed(permit, started, failure);
                        throw failure;
                    }
                    rejected = inline.succeeded(permit, started, result);
                } catch (Throwable failure) {
                    inline.retryAfter(attempt, begun, failure);
                    continue;
                }
                if (inline.answers(rejected, attempt, begun)) {
                    answer = result;
                    break call;
                }
            }
        } catch (Throwable failure) {
            answer = inline.recover(self, new Object[] {first, second}, failure, observation);
        }
        return inline.end(observation, answer);
    }

    Object around(Object self, Object first, Object second, Object third):
            guarded(self) && args(first, second, third) && !closed() {
        InlinePipeline inline = inline(thisJoinPointStaticPart, self);
        if (inline == null) {
            return proceed(self, first, second, third);
        }
        Object observation = inline.observe();
        Object answer;
        call: try {
            long begun = inline.begin();
            for (int attempt = 1;; attempt++) {
                Object result;
                boolean rejected;
                try {
                    Object permit = inline.permit();
                    long started = inline.started();
                    try {
                        boolean held = inline.enter();
                        try {
                            result = proceed(self, first, second, third);
                        } finally {
                            inline.leave(held);
                        }
                    } catch (Throwable failure) {
                        inline.failed(permit, started, failure);
                        throw failure;
                    }
                    rejected = inline.succeeded(permit, started, result);
                } catch (Throwable failure) {
                    inline.retryAfter(attempt, begun, failure);
                    continue;
                }
                if (inline.answers(rejected, attempt, begun)) {
                    answer = result;
                    break call;
                }
            }
        } catch (Throwable failure) {
            answer = inline.recover(self, new Object[] {first, second, third}, failure, observation);
        }
        return inline.end(observation, answer);
    }

    // The closure advice: the pipeline runs the method through a WovenCall, whose proceed() calls AspectJ's closure
    // (made per call). For the calls of methods that are declared to need it (closed()), and every call of four
    // arguments or more.

    Object around(Object self): guarded(self) && args() && closed() {
        JoinPointPipelines.Site site = pipelines.site(thisJoinPointStaticPart, self);
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

    Object around(Object self, Object first): guarded(self) && args(first) && closed() {
        JoinPointPipelines.Site site = pipelines.site(thisJoinPointStaticPart, self);
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

    Object around(Object self, Object first, Object second): guarded(self) && args(first, second) && closed() {
        JoinPointPipelines.Site site = pipelines.site(thisJoinPointStaticPart, self);
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
            guarded(self) && args(first, second, third) && closed() {
        JoinPointPipelines.Site site = pipelines.site(thisJoinPointStaticPart, self);
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
        JoinPointPipelines.Site site = pipelines.site(thisJoinPointStaticPart, self);
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

    /**
     * The inline form of the pipeline of {@code site} on {@code self}'s class, or {@code null} when calls pass
     * unguarded. Throws when the pipeline has none, which the closure advice should have run (see
     * {@link JoinPointPipelines#inline}).
     */
    private static InlinePipeline inline(JoinPoint.StaticPart site, Object self) {
        return pipelines.inline(site, self);
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
