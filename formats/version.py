"""The version of drillbook, as every file it writes records it (journal headers, reports).

It lives in the kernel so that the engine can stamp a journal without importing the CLI
package; ``drillbook.__version__`` is the same string.
"""

VERSION = "0.1.0"
