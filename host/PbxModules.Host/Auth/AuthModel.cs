using Microsoft.EntityFrameworkCore;

namespace PbxModules.Host.Auth;

/// <summary>The auth tables of the host database, all <c>c_</c>-prefixed.</summary>
internal static class AuthModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserRecord>(e =>
        {
            e.ToTable("c_users");
            e.HasKey(u => u.Id);
            e.Property(u => u.UserName).HasMaxLength(64).UseCollation("NOCASE");
            e.HasIndex(u => u.UserName).IsUnique();
            e.Property(u => u.PasswordHash).HasMaxLength(256);
            e.Property(u => u.Roles).HasMaxLength(1000);
            e.Property(u => u.Permissions).HasMaxLength(4000);
        });
        modelBuilder.Entity<ApiKeyRecord>(e =>
        {
            e.ToTable("c_api_keys");
            e.HasKey(k => k.Id);
            e.Property(k => k.KeyId).HasMaxLength(16);
            e.HasIndex(k => k.KeyId).IsUnique();
            e.Property(k => k.SecretHash).HasMaxLength(64);
            e.Property(k => k.Name).HasMaxLength(128);
            e.Property(k => k.Roles).HasMaxLength(1000);
            e.Property(k => k.Permissions).HasMaxLength(4000);
            e.Property(k => k.CreatedBy).HasMaxLength(64);
        });
        modelBuilder.Entity<RefreshTokenRecord>(e =>
        {
            e.ToTable("c_refresh_tokens");
            e.HasKey(t => t.Id);
            e.Property(t => t.TokenHash).HasMaxLength(64);
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.Property(t => t.SessionId).HasMaxLength(32);
            e.HasIndex(t => t.SessionId);
            e.HasIndex(t => t.UserId);
            e.HasOne<UserRecord>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
