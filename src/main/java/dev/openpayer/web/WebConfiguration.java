package dev.openpayer.web;

import dev.openpayer.tenancy.UserAccounts;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration
class WebConfiguration implements WebMvcConfigurer {
    private final UserAccounts userAccounts;

    WebConfiguration(@Lazy UserAccounts userAccounts) {
        this.userAccounts = userAccounts;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new ViewerArgumentResolver(userAccounts));
    }
}
