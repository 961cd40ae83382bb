// Test only, never shipped: Wine 8 has no bcryptprimitives.dll with
// ProcessPrng, which Go's runtime (1.22+) loads on Windows. TestDistArtefacts
// builds this with mingw-w64 into its own Wine prefix's system32.
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); // RtlGenRandom, advapi32

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    while (size > 0) {
        ULONG n = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!SystemFunction036(data, n)) {
            return FALSE;
        }
        data += n;
        size -= n;
    }
    return TRUE;
}
