package dev.openpayer.web;

import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.Viewer;
import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Supplies the signed-in {@link Viewer} to controller methods, loaded afresh on each request: a user
 * deactivated since he signed in (or whose organisation was) is refused at once.
 */
class ViewerArgumentResolver implements HandlerMethodArgumentResolver {
    private final UserAccounts userAccounts;

    ViewerArgumentResolver(UserAccounts userAccounts) {
        this.userAccounts = userAccounts;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Viewer.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request, WebDataBinderFactory binders) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            throw new InsufficientAuthenticationException("not signed in");
        }
        return userAccounts.viewer(authentication.getName())
                .orElseThrow(() -> new InsufficientAuthenticationException("this account can no longer sign in"));
    }
}
