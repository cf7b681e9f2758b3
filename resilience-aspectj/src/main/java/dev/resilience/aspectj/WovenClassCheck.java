package dev.resilience.aspectj;

import dev.resilience.autoconfigure.aop.PipelineFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.reflect.MethodSignature;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.function.SingletonSupplier;

/**
 * In AspectJ mode, the guarded methods of each bean must have been woven with the {@link ResilienceAspect}: no proxy
 * guards them then. A bean none of whose guarded methods is woven (its class compiled by javac, or loaded without the
 * weaver's agent) stops startup naming the class and how to weave it; one where only some are (annotations AspectJ
 * does not match: an interface's or an overridden method's, a subclass's class annotation on a method of a superclass
 * that carries no annotation there)
 * is reported with a warning naming them.
 *
 * <p>A woven method that a timeout or a last-known-good answer applies to on the bean's class must carry the
 * annotation itself, or a class or interface declaring it must (its class, the supertype whose method it overrides):
 * only then is the advice that runs them woven into it (see {@code ResilienceAspect.closed()}); one that takes it
 * from elsewhere (an interface, a composed annotation, the class-level annotation of a subclass that inherits the
 * method) stops startup naming the method.
 *
 * <p>Woven is read from the class itself: ajc keeps each join point an advice reads the static part of (every advice
 * of the aspect does) in a static {@code ajc$tjp_}<i>n</i> field of the class that declares the method, which names
 * the method's execution. A class woven by another aspect only may pass for woven.
 */
final class WovenClassCheck implements BeanPostProcessor {

    private static final Log logger = LogFactory.getLog(WovenClassCheck.class);

    private static final String JOIN_POINT_FIELD = "ajc$tjp_";

    /** What a class whose fields cannot be read counts as: woven (it is not doubted). */
    private static final Set<Method> UNREAD = Collections.unmodifiableSet(new HashSet<>());

    // The executions woven into each declaring class, read once per class.
    private static final ClassValue<Set<Method>> WOVEN = new ClassValue<>() {
        @Override
        protected Set<Method> computeValue(Class<?> type) {
            return wovenExecutions(type);
        }
    };

    // Looked up at the first guarded bean and kept, as the declaration validator does.
    private final SingletonSupplier<PipelineFactory> factory;

    WovenClassCheck(ObjectProvider<PipelineFactory> factory) {
        this.factory = SingletonSupplier.of(factory::getObject);
    }

    /**
     * After initialization, so that the declaration validator (before it) has scanned the class and built its
     * pipelines: the check reads both.
     */
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> type = AopProxyUtils.ultimateTargetClass(bean);
        Set<Method> guarded = PipelineFactory.guardedMethods(type);
        if (guarded.isEmpty()) {
            return bean;
        }
        List<Method> unwoven = new ArrayList<>();
        for (Method method : guarded) {
            if (!woven(method)) {
                unwoven.add(method);
            } else if (!JoinPointPipelines.needsClosure(method)
                    && factory.obtain().methodPipeline(method, type).inline() == null) {
                // The pipeline of the bean's class, which woven calls on the bean run (a subclass's class-level
                // annotations included): the validator built it, so this is a lookup.
                throw new BeanInitializationException(JoinPointPipelines.notWovenForInvocation(method, type)
                        + " (bean '" + beanName + "')");
            }
        }
        if (unwoven.isEmpty()) {
            return bean;
        }
        if (unwoven.size() == guarded.size()) {
            throw new BeanInitializationException("resilience.aop.mode is aspectj, but " + type.getName() + " (bean '"
                    + beanName + "') is not woven with the resilience aspect, so " + names(unwoven) + " would run "
                    + "unguarded. Compile it with the aspectj-maven-plugin and the aspect library "
                    + "dev.resilience:resilience-aspectj, or start the JVM with -javaagent:aspectjweaver.jar (the "
                    + "module's META-INF/aop.xml declares the aspect), or set resilience.aop.mode=proxy");
        }
        logger.warn("resilience.aop.mode is aspectj, but AspectJ wove no advice into " + names(unwoven) + " of "
                + type.getName() + " (bean '" + beanName + "'), so they run unguarded: AspectJ matches the annotations "
                + "of the method that runs and of the class that declares it, not those of an interface's or an "
                + "overridden method, nor a subclass's class annotation on a method its superclass declares without any "
                + "annotation of its own or of the superclass; annotate that method itself");
        return bean;
    }

    private static boolean woven(Method method) {
        Set<Method> executions = WOVEN.get(method.getDeclaringClass());
        return executions == UNREAD || executions.contains(method);
    }

    private static String names(List<Method> methods) {
        return methods.stream().map(Method::getName).distinct().sorted().collect(Collectors.joining(", "));
    }

    /** The method executions whose join points ajc keeps in {@code type}'s static fields. */
    private static Set<Method> wovenExecutions(Class<?> type) {
        Set<Method> woven = new HashSet<>();
        for (Field field : type.getDeclaredFields()) {
            if (!field.getName().startsWith(JOIN_POINT_FIELD) || !Modifier.isStatic(field.getModifiers())
                    || field.getType() != JoinPoint.StaticPart.class) {
                continue;
            }
            try {
                field.setAccessible(true);
                if (field.get(null) instanceof JoinPoint.StaticPart part
                        && JoinPoint.METHOD_EXECUTION.equals(part.getKind())
                        && part.getSignature() instanceof MethodSignature signature) {
                    woven.add(signature.getMethod());
                }
            } catch (RuntimeException | IllegalAccessException unreadable) {
                return UNREAD; // a class in a module that does not open it
            }
        }
        return woven;
    }
}
