// The Orekit peer of benchmarks/bench_propagation.py (built and driven by tools/orekit_java.py), all in Java, in its own JVM process.
//
// Same set-up as tools/orekit_oracle.py's "full" case (NumericalPropagator, DOP853 with
// NumericalPropagator.tolerances(tol, orbit, CARTESIAN), min/max step 1e-3/300 s, point mass +
// 8x8 HolmesFeatherstone (ITRF IERS 2010, full EOP) + NRLMSISE00 drag (constant F10.7/Ap,
// IsotropicDrag, WGS84 ellipsoid, DE-440 Sun) + Sun/Moon third body), but the two classes that
// the Python oracle implements as Python callbacks (the NRLMSISE-00 input parameters and the
// fixed-step output recorder) are Java classes here, so no evaluation leaves the JVM.
//
// Protocol (one JVM serves many runs, so that repeats interleave with rossim's):
//   java OrekitPeer <orekit-data dir> <gravity dir> <gravity file name> <GM m3/s2>
//        <epoch UTC ISO> <frame EME2000|GCRF> x y z vx vy vz <mass kg> <area m2> <cd>
//        <f107> <f107a> <ap>
// then lines on stdin: "RUN <duration s> <step s> <position tolerance m> <output file>".
// Each run writes little-endian float64 rows (x y z vx vy vz, GCRF, m and m/s) to the output
// file and prints one line "DONE <points> <wall s> <process cpu s>" (process CPU time of the
// JVM, all threads: JIT and garbage collector included). "QUIT" ends the process.
import java.io.BufferedReader;
import java.io.File;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Arrays;

import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.orekit.bodies.CelestialBodyFactory;
import org.orekit.bodies.OneAxisEllipsoid;
import org.orekit.data.DataContext;
import org.orekit.data.DataProvidersManager;
import org.orekit.data.DirectoryCrawler;
import org.orekit.forces.drag.DragForce;
import org.orekit.forces.drag.IsotropicDrag;
import org.orekit.forces.gravity.HolmesFeatherstoneAttractionModel;
import org.orekit.forces.gravity.NewtonianAttraction;
import org.orekit.forces.gravity.ThirdBodyAttraction;
import org.orekit.forces.gravity.potential.GravityFieldFactory;
import org.orekit.forces.gravity.potential.ICGEMFormatReader;
import org.orekit.frames.Frame;
import org.orekit.frames.FramesFactory;
import org.orekit.models.earth.atmosphere.NRLMSISE00;
import org.orekit.models.earth.atmosphere.NRLMSISE00InputParameters;
import org.orekit.orbits.CartesianOrbit;
import org.orekit.orbits.OrbitType;
import org.orekit.propagation.SpacecraftState;
import org.orekit.propagation.numerical.NumericalPropagator;
import org.orekit.propagation.sampling.OrekitFixedStepHandler;
import org.orekit.time.AbsoluteDate;
import org.orekit.time.TimeScalesFactory;
import org.orekit.utils.Constants;
import org.orekit.utils.IERSConventions;
import org.orekit.utils.PVCoordinates;

public final class OrekitPeer {

    /** Constant space weather for every date (the Python oracle's ConstantInputs). */
    static final class ConstantInputs implements NRLMSISE00InputParameters {
        private final double f107;
        private final double f107a;
        private final double[] ap;

        ConstantInputs(double f107, double f107a, double ap) {
            this.f107 = f107;
            this.f107a = f107a;
            this.ap = new double[7];
            Arrays.fill(this.ap, ap);
        }

        @Override public AbsoluteDate getMinDate() { return AbsoluteDate.PAST_INFINITY; }
        @Override public AbsoluteDate getMaxDate() { return AbsoluteDate.FUTURE_INFINITY; }
        @Override public double getDailyFlux(AbsoluteDate date) { return f107; }
        @Override public double getAverageFlux(AbsoluteDate date) { return f107a; }
        @Override public double[] getAp(AbsoluteDate date) { return ap.clone(); }
    }

    /** Fixed-step recorder: GCRF position and velocity into a growing double array. */
    static final class Recorder implements OrekitFixedStepHandler {
        private final Frame gcrf;
        double[] rows = new double[6 * 1024];
        int n;

        Recorder(Frame gcrf) { this.gcrf = gcrf; }

        @Override
        public void handleStep(SpacecraftState s) {
            PVCoordinates pv = s.getPVCoordinates(gcrf);
            if (6 * (n + 1) > rows.length) {
                rows = Arrays.copyOf(rows, 2 * rows.length);
            }
            Vector3D p = pv.getPosition();
            Vector3D v = pv.getVelocity();
            int k = 6 * n++;
            rows[k] = p.getX(); rows[k + 1] = p.getY(); rows[k + 2] = p.getZ();
            rows[k + 3] = v.getX(); rows[k + 4] = v.getY(); rows[k + 5] = v.getZ();
        }
    }

    public static void main(String[] args) throws Exception {
        DataProvidersManager manager = DataContext.getDefault().getDataProvidersManager();
        manager.clearProviders();
        manager.clearLoadedDataNames();
        manager.addProvider(new DirectoryCrawler(new File(args[0])));
        manager.addProvider(new DirectoryCrawler(new File(args[1])));
        GravityFieldFactory.clearPotentialCoefficientsReaders();
        GravityFieldFactory.addPotentialCoefficientsReader(
            new ICGEMFormatReader(args[2].replace(".", "\\."), false));
        double gm = Double.parseDouble(args[3]);
        AbsoluteDate epoch = new AbsoluteDate(args[4], TimeScalesFactory.getUTC());
        Frame gcrf = FramesFactory.getGCRF();
        Frame itrf = FramesFactory.getITRF(IERSConventions.IERS_2010, false);
        Frame source = args[5].equalsIgnoreCase("GCRF") ? gcrf : FramesFactory.getEME2000();
        double[] x = new double[6];
        for (int i = 0; i < 6; i++) {
            x[i] = Double.parseDouble(args[6 + i]);
        }
        double mass = Double.parseDouble(args[12]);
        double area = Double.parseDouble(args[13]);
        double cd = Double.parseDouble(args[14]);
        ConstantInputs weather = new ConstantInputs(Double.parseDouble(args[15]),
            Double.parseDouble(args[16]), Double.parseDouble(args[17]));
        PVCoordinates pv = source.getTransformTo(gcrf, epoch).transformPVCoordinates(
            new PVCoordinates(new Vector3D(x[0], x[1], x[2]), new Vector3D(x[3], x[4], x[5])));
        CartesianOrbit orbit = new CartesianOrbit(pv, gcrf, epoch, gm);
        OneAxisEllipsoid earth = new OneAxisEllipsoid(Constants.WGS84_EARTH_EQUATORIAL_RADIUS,
            Constants.WGS84_EARTH_FLATTENING, itrf);

        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("READY");
        System.out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            if (w[0].equals("QUIT")) {
                break;
            }
            if (!w[0].equals("RUN") || w.length != 5) {
                System.out.println("ERROR expected: RUN <duration s> <step s> <tolerance m> <file>");
                System.out.flush();
                continue;
            }
            double duration = Double.parseDouble(w[1]);
            double step = Double.parseDouble(w[2]);
            double tolerance = Double.parseDouble(w[3]);
            long wall0 = System.nanoTime();
            long cpu0 = os.getProcessCpuTime();
            // Everything a run builds (integrator, forces, atmosphere) is inside the timing,
            // as in the Python oracle's propagate().
            double[][] tol = NumericalPropagator.tolerances(tolerance, orbit, OrbitType.CARTESIAN);
            DormandPrince853Integrator integrator =
                new DormandPrince853Integrator(1.0e-3, 300.0, tol[0], tol[1]);
            NumericalPropagator propagator = new NumericalPropagator(integrator);
            propagator.setOrbitType(OrbitType.CARTESIAN);
            propagator.setInitialState(new SpacecraftState(orbit).withMass(mass));
            propagator.addForceModel(new NewtonianAttraction(gm));
            propagator.addForceModel(new HolmesFeatherstoneAttractionModel(itrf,
                GravityFieldFactory.getNormalizedProvider(8, 8)));
            NRLMSISE00 atmosphere = new NRLMSISE00(weather, CelestialBodyFactory.getSun(), earth);
            propagator.addForceModel(new DragForce(atmosphere, new IsotropicDrag(area, cd)));
            propagator.addForceModel(new ThirdBodyAttraction(CelestialBodyFactory.getSun()));
            propagator.addForceModel(new ThirdBodyAttraction(CelestialBodyFactory.getMoon()));
            Recorder recorder = new Recorder(gcrf);
            propagator.getMultiplexer().add(step, recorder);
            propagator.propagate(epoch.shiftedBy(duration));
            double wall = (System.nanoTime() - wall0) * 1e-9;
            double cpu = (os.getProcessCpuTime() - cpu0) * 1e-9;
            ByteBuffer buf = ByteBuffer.allocate(8 * 6 * recorder.n).order(ByteOrder.LITTLE_ENDIAN);
            buf.asDoubleBuffer().put(recorder.rows, 0, 6 * recorder.n);
            try (FileChannel ch = new FileOutputStream(w[4]).getChannel()) {
                ch.write(buf);
            }
            System.out.println("DONE " + recorder.n + " " + wall + " " + cpu);
            System.out.flush();
        }
    }
}
