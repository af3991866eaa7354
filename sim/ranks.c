/*
 * ranks — MPI when built with it and launched by mpirun (see ranks.h).
 */
#include "sim/ranks.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

#ifdef ECSIM_MPI
#include <mpi.h>
#endif

static int rank, size = 1;
static bool started;

bool
ranks_have_mpi(void)
{
#ifdef ECSIM_MPI
	return true;
#else
	return false;
#endif
}

/* Was this process started by an MPI launcher? */
static bool
launched(void)
{
	static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK",
	    "PMI_SIZE", "PMI_RANK"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]) != NULL)
			return true;
	return false;
}

int
ranks_init(int *argc, char ***argv, sim_error *err)
{
	(void)argc;
	(void)argv;
	(void)err;
	if (started || !launched())
		return 0;
#ifdef ECSIM_MPI
	if (MPI_Init(argc, argv) != MPI_SUCCESS)
		return sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
		    "MPI_Init failed");
	started = true;
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
#endif
	return 0;
}

int
ranks_rank(void)
{
	return rank;
}

int
ranks_size(void)
{
	return size;
}

int
ranks_gather(const void *p, size_t len, char **all, size_t **lens,
    sim_error *err)
{
	*all = NULL;
	*lens = NULL;
	if (!started || size == 1) {
		*all = xmalloc(len ? len : 1);
		memcpy(*all, p, len);
		*lens = xcalloc(1, sizeof(size_t));
		(*lens)[0] = len;
		return 0;
	}
#ifdef ECSIM_MPI
	if (len > INT_MAX)
		return sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
		    "rank %d: %zu bytes of results exceed one MPI message", rank,
		    len);
	int mine = (int)len;
	int *counts = NULL, *displs = NULL;
	char *buf = NULL;
	if (rank == 0)
		counts = xcalloc((size_t)size, sizeof(int));
	if (MPI_Gather(&mine, 1, MPI_INT, counts, 1, MPI_INT, 0,
	    MPI_COMM_WORLD) != MPI_SUCCESS) {
		free(counts);
		return sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
		    "MPI_Gather failed");
	}
	if (rank == 0) {
		displs = xcalloc((size_t)size, sizeof(int));
		size_t total = 0;
		for (int r = 0; r < size; r++) {
			if (total > INT_MAX - (size_t)counts[r]) {
				free(counts);
				free(displs);
				return sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
				    "results exceed one MPI gather (2 GiB)");
			}
			displs[r] = (int)total;
			total += (size_t)counts[r];
		}
		buf = xmalloc(total ? total : 1);
	}
	int rc = MPI_Gatherv(p, mine, MPI_BYTE, buf, counts, displs, MPI_BYTE, 0,
	    MPI_COMM_WORLD);
	if (rc != MPI_SUCCESS) {
		free(counts);
		free(displs);
		free(buf);
		return sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
		    "MPI_Gatherv failed");
	}
	if (rank == 0) {
		*lens = xcalloc((size_t)size, sizeof(size_t));
		for (int r = 0; r < size; r++)
			(*lens)[r] = (size_t)counts[r];
		*all = buf;
	}
	free(counts);
	free(displs);
	return 0;
#else
	return sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
	    "MPI is not built in");
#endif
}

int
ranks_share_code(int code)
{
#ifdef ECSIM_MPI
	if (started && size > 1)
		MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
#endif
	return code;
}

void
ranks_finalize(void)
{
#ifdef ECSIM_MPI
	if (started)
		MPI_Finalize();
#endif
	started = false;
}
