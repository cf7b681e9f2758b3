package dev.resilience.aspectj;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import org.aopalliance.intercept.MethodInvocation;

/**
 * A woven call seen as the invocation the pipelines run. Unlike Spring's, it can proceed more than once (each
 * {@link #proceed()} runs the method's body again through AspectJ's closure, with the arguments the call
 * received), which is what a retry needs: nothing is copied up front. The advice of {@link ResilienceAspect}
 * makes one per call with the arguments it bound, so that no AspectJ join point object is made on any path.
 */
abstract class WovenCall implements MethodInvocation {

    static final Object[] NO_ARGUMENTS = {};

    private final Method method;
    private final Object self;

    WovenCall(Method method, Object self) {
        this.method = method;
        this.self = self;
    }

    /**
     * Runs the method's body once more (the advice's {@code proceed}); implemented by each advice itself, one
     * frame less between the pipeline and the method.
     */
    @Override
    public abstract Object proceed() throws Throwable;

    @Override
    public final Method getMethod() {
        return method;
    }

    @Override
    public final Object getThis() {
        return self;
    }

    @Override
    public final AccessibleObject getStaticPart() {
        return method;
    }
}
