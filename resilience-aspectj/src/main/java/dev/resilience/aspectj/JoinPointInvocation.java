package dev.resilience.aspectj;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import org.aopalliance.intercept.MethodInvocation;
import org.aspectj.lang.ProceedingJoinPoint;

/**
 * A woven call seen as the invocation the pipelines run. Unlike Spring's, it can proceed more than once (AspectJ
 * runs the method again at each {@code proceed()}), which is what a retry needs: nothing is copied up front.
 */
final class JoinPointInvocation implements MethodInvocation {

    private final ProceedingJoinPoint call;
    private final Method method;

    JoinPointInvocation(ProceedingJoinPoint call, Method method) {
        this.call = call;
        this.method = method;
    }

    @Override
    public Method getMethod() {
        return method;
    }

    @Override
    public Object[] getArguments() {
        return call.getArgs();
    }

    @Override
    public Object proceed() throws Throwable {
        return call.proceed();
    }

    @Override
    public Object getThis() {
        return call.getThis();
    }

    @Override
    public AccessibleObject getStaticPart() {
        return method;
    }
}
