/*
 * ranks — the processes of an MPI job, or just this one.
 *
 * In a build with MPI (`make MPI=1`, which defines ECSIM_MPI) and a
 * process started by mpirun (Open MPI's OMPI_COMM_WORLD_SIZE, or PMI/PMIx
 * variables, in the environment), ranks_init starts MPI and the job has
 * ranks_size() ranks. Otherwise there is one rank, 0, and no MPI call is
 * made: a plain run of an MPI build behaves like the normal build.
 *
 * Invariant: every rank calls ranks_gather the same number of times, in
 * the same order; ranks_finalize is called once by every rank that
 * called ranks_init.
 */
#ifndef SIM_RANKS_H
#define SIM_RANKS_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/error.h"

/* Start MPI when launched by mpirun in an MPI build. Returns 0, or
 * SIM_ERUNTIME with *err filled. */
int ranks_init(int *argc, char ***argv, sim_error *err);
int ranks_rank(void);
int ranks_size(void);
/* True in a build with MPI support. */
bool ranks_have_mpi(void);

/* Collect every rank's bytes at rank 0. On rank 0, *all (owned, free
 * with free()) is the concatenation in rank order and *lens (owned) the
 * length from each rank; elsewhere both are NULL. Returns 0 or
 * SIM_ERUNTIME. */
int ranks_gather(const void *p, size_t len, char **all, size_t **lens,
    sim_error *err);

/* The exit code decided by rank 0, for every rank (so mpirun's status is
 * the command's). Without MPI returns code. */
int ranks_share_code(int code);

/* End MPI if ranks_init started it. */
void ranks_finalize(void);

#endif
