package dev.openpayer.onboarding;

import static dev.openpayer.shared.Timestamps.fromDb;
import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.onboarding.CustomerAccount.AccountType;
import dev.openpayer.onboarding.CustomerAccount.ConnectionType;
import dev.openpayer.onboarding.CustomerAccount.Health;
import dev.openpayer.onboarding.CustomerAccount.HealthStatus;
import dev.openpayer.onboarding.CustomerAccount.Invitation;
import dev.openpayer.onboarding.CustomerAccount.Membership;
import dev.openpayer.onboarding.CustomerAccount.Refusal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The customers' AWS accounts, their claims on AWS account IDs and their timelines. */
@Repository
class CustomerAccounts {
    private final JdbcClient jdbc;

    CustomerAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One entry of an account's timeline. */
    record Event(Instant at, String actorEmail, String kind, String detail) {}

    static CustomerAccount map(ResultSet rs, int row) throws SQLException {
        String handshake = rs.getString("handshake_id");
        String refusalCode = rs.getString("refusal_code");
        Refusal refusal = null;
        if (refusalCode != null) {
            String[] parts = Optional.ofNullable(rs.getString("refusal_message")).orElse("").split("\n", 4);
            refusal = new Refusal(refusalCode, part(parts, 0), part(parts, 1), part(parts, 2), part(parts, 3));
        }
        Instant joined = fromDb(rs, "joined_at");
        String accountState = rs.getString("account_state");
        return new CustomerAccount(
                rs.getObject("id", UUID.class),
                rs.getString("account_id"),
                rs.getObject("customer_id", UUID.class),
                rs.getObject("billing_profile_id", UUID.class),
                rs.getObject("payer_id", UUID.class),
                ConnectionType.valueOf(rs.getString("connection_type")),
                AccountStatus.valueOf(rs.getString("status")),
                AccountType.valueOf(rs.getString("account_type")),
                rs.getString("root_email"),
                rs.getString("notes"),
                rs.getObject("price_book_id", UUID.class),
                rs.getObject("cost_center_id", UUID.class),
                rs.getObject("approver_id", UUID.class),
                rs.getString("decision_reason"),
                handshake == null ? null : new Invitation(handshake, rs.getString("handshake_arn"), rs.getString("handshake_state"),
                        fromDb(rs, "invited_at"), fromDb(rs, "invitation_expires_at")),
                refusal,
                rs.getString("create_request_id"),
                joined == null && accountState == null && rs.getString("account_name") == null ? null
                        : new Membership(rs.getString("account_name"), rs.getString("account_email"), accountState, joined),
                rs.getString("role_arn"),
                new Health(HealthStatus.valueOf(rs.getString("health")), rs.getString("health_reason"), fromDb(rs, "health_checked_at")),
                rs.getString("requested_email"),
                fromDb(rs, "created_at"),
                fromDb(rs, "updated_at"));
    }

    private static String part(String[] parts, int i) {
        return i < parts.length && !parts[i].isEmpty() ? parts[i] : null;
    }

    Optional<CustomerAccount> find(UUID id) {
        return jdbc.sql("select * from aws_accounts where id = ?").param(id).query(CustomerAccounts::map).optional();
    }

    Optional<CustomerAccount> findByHandshake(String handshakeId) {
        return jdbc.sql("select * from aws_accounts where handshake_id = ?").param(handshakeId).query(CustomerAccounts::map).optional();
    }

    /** Accounts of customers under the path, optionally filtered. */
    /**
     * The accounts that are or were members of a payer organisation (invited and joined, or created): the usage
     * accounts whose lines in a payer's report belong to a customer. Newest first, so that an account onboarded
     * twice maps to its latest customer.
     */
    List<CustomerAccount> members() {
        return jdbc.sql("select a.* from aws_accounts a where a.account_id is not null and a.connection_type in ('INVITE', 'CREATE') "
                        + "and (a.joined_at is not null or a.status in ('JOINED', 'CONNECTED', 'ACTIVE')) order by coalesce(a.joined_at, a.created_at) desc")
                .query(CustomerAccounts::map)
                .list();
    }

    List<CustomerAccount> inSubtree(String path, UUID customerId, AccountStatus status) {
        StringBuilder sql = new StringBuilder("select a.* from aws_accounts a join organizations o on o.id = a.customer_id where o.path like :path");
        Map<String, Object> params = new HashMap<>();
        params.put("path", dev.openpayer.tenancy.Organization.subtreePattern(path));
        if (customerId != null) {
            sql.append(" and a.customer_id = :customer");
            params.put("customer", customerId);
        }
        if (status != null) {
            sql.append(" and a.status = :status");
            params.put("status", status.name());
        }
        sql.append(" order by a.created_at desc");
        return jdbc.sql(sql.toString()).params(params).query(CustomerAccounts::map).list();
    }

    List<CustomerAccount> withStatus(AccountStatus... statuses) {
        return jdbc.sql("select * from aws_accounts where status in (:s) order by created_at")
                .param("s", java.util.Arrays.stream(statuses).map(Enum::name).toList())
                .query(CustomerAccounts::map)
                .list();
    }

    /** Inserts the account; false (and nothing stored) when another open onboarding holds the AWS account ID. */
    boolean insertClaimed(CustomerAccount a) {
        insert(a);
        if (a.accountId() == null) {
            return true;
        }
        return claim(a.accountId(), a.id());
    }

    void insert(CustomerAccount a) {
        jdbc.sql("insert into aws_accounts (id, account_id, customer_id, billing_profile_id, payer_id, connection_type, status, account_type, root_email, "
                        + "notes, price_book_id, cost_center_id, approver_id, requested_by, requested_email, create_request_id, account_name, created_at, "
                        + "updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(a.id(), a.accountId(), a.customerId(), a.billingProfileId(), a.payerId(), a.connectionType().name(), a.status().name(),
                        a.accountType().name(), a.rootEmail(), a.notes(), a.priceBookId(), a.costCenterId(), a.approverId(), null,
                        a.requestedEmail(), a.createRequestId(), a.membership() == null ? null : a.membership().name(), toDb(a.createdAt()),
                        toDb(a.updatedAt()))
                .update();
    }

    void setRequestedBy(UUID id, UUID userId) {
        jdbc.sql("update aws_accounts set requested_by = ? where id = ?").params(userId, id).update();
    }

    /** Takes the AWS account ID for this onboarding; false when another open onboarding holds it. */
    boolean claim(String accountId, UUID assetId) {
        Optional<UUID> holder = jdbc.sql("select asset_id from aws_account_claims where account_id = ?").param(accountId).query(UUID.class).optional();
        if (holder.isPresent()) {
            return holder.get().equals(assetId);
        }
        return jdbc.sql("insert into aws_account_claims (account_id, asset_id) values (?, ?) on conflict do nothing").params(accountId, assetId).update() == 1;
    }

    Optional<UUID> claimHolder(String accountId) {
        return jdbc.sql("select asset_id from aws_account_claims where account_id = ?").param(accountId).query(UUID.class).optional();
    }

    void release(CustomerAccount a) {
        if (a.accountId() != null) {
            jdbc.sql("delete from aws_account_claims where account_id = ? and asset_id = ?").params(a.accountId(), a.id()).update();
        }
    }

    void setStatus(UUID id, AccountStatus status, Instant at) {
        jdbc.sql("update aws_accounts set status = ?, updated_at = ? where id = ?").params(status.name(), toDb(at), id).update();
    }

    void setDecision(UUID id, String reason) {
        jdbc.sql("update aws_accounts set decision_reason = ? where id = ?").params(reason, id).update();
    }

    void setHandshake(UUID id, String handshakeId, String arn, String state, Instant sentAt, Instant expiresAt, Instant at) {
        jdbc.sql("update aws_accounts set handshake_id = ?, handshake_arn = ?, handshake_state = ?, invited_at = ?, invitation_expires_at = ?, "
                        + "refusal_code = null, refusal_message = null, updated_at = ? where id = ?")
                .params(handshakeId, arn, state, toDb(sentAt), toDb(expiresAt), toDb(at), id)
                .update();
    }

    void setHandshakeState(UUID id, String state, Instant at) {
        jdbc.sql("update aws_accounts set handshake_state = ?, updated_at = ? where id = ?").params(state, toDb(at), id).update();
    }

    void setRefusal(UUID id, String code, String title, String explanation, String remedy, String awsMessage, Instant at) {
        String message = String.join("\n", nn(title), nn(explanation), nn(remedy), nn(awsMessage));
        jdbc.sql("update aws_accounts set refusal_code = ?, refusal_message = ?, updated_at = ? where id = ?")
                .params(code, message.length() > 2000 ? message.substring(0, 2000) : message, toDb(at), id)
                .update();
    }

    void setCreation(UUID id, String requestId, String accountId, Instant at) {
        jdbc.sql("update aws_accounts set create_request_id = ?, account_id = coalesce(?, account_id), updated_at = ? where id = ?")
                .params(requestId, accountId, toDb(at), id)
                .update();
    }

    void setMembership(UUID id, String name, String email, String state, Instant joinedAt, Instant at) {
        jdbc.sql("update aws_accounts set account_name = ?, account_email = ?, account_state = ?, joined_at = coalesce(?, joined_at), updated_at = ? where id = ?")
                .params(name, email, state, toDb(joinedAt), toDb(at), id)
                .update();
    }

    void setRole(UUID id, String roleArn, Instant at) {
        jdbc.sql("update aws_accounts set role_arn = ?, updated_at = ? where id = ?").params(roleArn, toDb(at), id).update();
    }

    void setHealth(UUID id, HealthStatus status, String reason, Instant at) {
        jdbc.sql("update aws_accounts set health = ?, health_reason = ?, health_checked_at = ? where id = ?")
                .params(status.name(), reason == null || reason.length() <= 2000 ? reason : reason.substring(0, 2000), toDb(at), id)
                .update();
    }

    void event(UUID assetId, Instant at, UUID actorId, String actorEmail, String kind, String detail) {
        jdbc.sql("insert into aws_account_events (asset_id, occurred_at, actor_id, actor_email, kind, detail) values (?, ?, ?, ?, ?, ?)")
                .params(assetId, toDb(at), actorId, actorEmail, kind, detail.length() > 2000 ? detail.substring(0, 2000) : detail)
                .update();
    }

    List<Event> timeline(UUID assetId) {
        return jdbc.sql("select occurred_at, actor_email, kind, detail from aws_account_events where asset_id = ? order by occurred_at, id")
                .param(assetId)
                .query((rs, i) -> new Event(fromDb(rs, "occurred_at"), rs.getString("actor_email"), rs.getString("kind"), rs.getString("detail")))
                .list();
    }

    Optional<Instant> lastEvent(UUID assetId, String kind) {
        return jdbc.sql("select max(occurred_at) as at from aws_account_events where asset_id = ? and kind = ?")
                .params(assetId, kind)
                .query((rs, i) -> fromDb(rs, "at"))
                .optional();
    }

    private static String nn(String s) {
        return s == null ? "" : s.replace("\n", " ");
    }
}
