using System.Buffers.Binary;
using System.Text;

namespace PbxModules.Sdk.Testing.Packages;

/// <summary>
/// Rewrites the uncompressed size a zip declares for one entry (central directory and local header),
/// to make a package that lies about how far it expands. No zip library writes a lie, hence these
/// few offsets of the zip format (APPNOTE 4.3.7, 4.3.12, 4.3.16); no Zip64.
/// </summary>
internal static class ZipSizePatcher
{
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const uint CentralDirectorySignature = 0x02014b50;
    private const uint LocalHeaderSignature = 0x04034b50;

    public static void SetDeclaredLength(string path, string entryName, long declaredLength)
    {
        if (declaredLength is < 0 or >= uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(declaredLength), declaredLength, "A declared size must fit a zip's 32-bit field (no Zip64).");
        var bytes = File.ReadAllBytes(path);
        var end = FindEndOfCentralDirectory(bytes);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(end + 10));
        var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end + 16));
        for (var i = 0; i < count; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)) != CentralDirectorySignature)
                throw new InvalidDataException($"'{path}': central directory record {i} is not where the directory says.");
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 28));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 30));
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 32));
            var name = Encoding.UTF8.GetString(bytes, offset + 46, nameLength);
            if (name == entryName)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset + 24), (uint)declaredLength);
                var local = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 42));
                if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(local)) != LocalHeaderSignature)
                    throw new InvalidDataException($"'{path}': the local header of '{entryName}' is not where the directory says.");
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(local + 22), (uint)declaredLength);
                File.WriteAllBytes(path, bytes);
                return;
            }
            offset += 46 + nameLength + extraLength + commentLength;
        }
        throw new ArgumentException($"'{path}' has no entry named '{entryName}'.", nameof(entryName));
    }

    private static int FindEndOfCentralDirectory(byte[] bytes)
    {
        for (var i = bytes.Length - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i)) == EndOfCentralDirectorySignature)
                return i;
        }
        throw new InvalidDataException("Not a zip: no end of central directory record.");
    }
}
