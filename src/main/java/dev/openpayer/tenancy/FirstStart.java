package dev.openpayer.tenancy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * On the first start of an empty database: creates the top tenant (the distributor) and its first
 * admin, from {@code OPENPAYER_ADMIN_EMAIL} / {@code OPENPAYER_ADMIN_PASSWORD} or with a generated
 * password that is printed once.
 */
@Component
@Order(0)
class FirstStart implements ApplicationRunner {
    static final String DEFAULT_ADMIN_EMAIL = "admin@openpayer.local";
    private static final Logger log = LoggerFactory.getLogger(FirstStart.class);

    private final Tenancy tenancy;
    private final UserAccounts users;
    private final String adminEmail;
    private final String adminPassword;
    private final String distributorName;

    FirstStart(Tenancy tenancy, UserAccounts users, @Value("${openpayer.admin.email}") String adminEmail,
            @Value("${openpayer.admin.password}") String adminPassword, @Value("${openpayer.distributor-name}") String distributorName) {
        this.tenancy = tenancy;
        this.users = users;
        this.adminEmail = adminEmail;
        this.adminPassword = adminPassword;
        this.distributorName = distributorName;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (tenancy.top().isPresent()) {
            return;
        }
        Organization top = tenancy.createTop(distributorName);
        String email = adminEmail == null || adminEmail.isBlank() ? DEFAULT_ADMIN_EMAIL : adminEmail.strip();
        boolean generated = adminPassword == null || adminPassword.isBlank();
        String password = generated ? Secrets.randomToken(15) : adminPassword;
        users.createActive(top.id(), email, "Administrator", Role.ADMIN, password);
        String banner = "\n\n  OpenPayer first start: created the top tenant \"" + top.name() + "\" and its admin\n"
                + "    email:    " + email + "\n"
                + (generated ? "    password: " + password + "   (generated; shown only this once)\n" : "    password: as set in OPENPAYER_ADMIN_PASSWORD\n")
                + "\n";
        System.out.println(banner);
        log.info("Created the top tenant {} and its admin {}", top.name(), email);
    }
}
